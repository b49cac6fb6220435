"""The registration form a person fills in on an event's page.

It reads the dates and places from the event page it is given, not from the models.
"""

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from cress_site.honeypot import HoneypotFormMixin
from cress_site.models import Territory
from cress_site.user_input import ControlCharactersFormMixin
from events.choices import RegistrationProfile
from events.formatting import deadline_label, places_left_label

OUTSIDE_NORMANDY = "ailleurs"


def occurrence_label(occurrence):
    """ "mardi 5 janvier 2027 à 14 h – 3 places restantes"."""
    label = occurrence.date_label
    if occurrence.page.capacity is not None:
        left = occurrence.places_left
        label += f" – {places_left_label(left)}" if left else " – complet, liste d'attente"
    return label


class OccurrenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return occurrence_label(obj)


class RegistrationForm(ControlCharactersFormMixin, HoneypotFormMixin, forms.Form):
    occurrence = OccurrenceChoiceField(
        label="Date",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez la date à laquelle vous voulez venir.",
            "invalid_choice": "Cette date n'existe pas ou plus : choisissez-en une dans la liste.",
        },
    )
    name = forms.CharField(
        label="Nom et prénom",
        max_length=150,
        error_messages={"required": "Indiquez votre nom et votre prénom."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="Un e-mail y part, avec le lien qui confirme votre inscription. "
        "Format : nom@exemple.fr",
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Cette adresse e-mail n'est pas valide. Format attendu : nom@exemple.fr",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label="Structure ou collectivité",
        max_length=200,
        required=False,
        help_text="Facultatif.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    profile = forms.ChoiceField(
        label="Vous êtes",
        choices=[("", "Choisissez…"), *RegistrationProfile.choices],
        error_messages={
            "required": "Dites-nous qui vous êtes.",
            "invalid_choice": "Choisissez une réponse dans la liste.",
        },
    )
    territory = forms.ChoiceField(
        label="Votre département",
        error_messages={
            "required": "Choisissez votre département.",
            "invalid_choice": "Choisissez un département dans la liste.",
        },
    )
    consent = forms.BooleanField(
        label="J'accepte que la CRESS Normandie utilise ces informations pour gérer mon "
        "inscription à cet événement.",
        error_messages={
            "required": "Votre accord est nécessaire pour que nous enregistrions l'inscription."
        },
    )

    def __init__(self, *args, page, privacy_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        now = timezone.now()
        occurrences = page.series_occurrences(end__gte=now)
        self.fields["occurrence"].queryset = page.occurrences.filter(in_series=True)
        self.open_occurrences = [o for o in occurrences if not o.registration_refusal(now=now)]
        self.fields["occurrence"].choices = [
            (occurrence.pk, occurrence_label(occurrence)) for occurrence in self.open_occurrences
        ]
        if len(self.open_occurrences) == 1:
            self.fields["occurrence"].widget = forms.HiddenInput()
            self.fields["occurrence"].initial = self.open_occurrences[0].pk
        departements = Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT).order_by("name")
        self.departements = {territory.slug: territory for territory in departements}
        self.fields["territory"].choices = [
            ("", "Choisissez…"),
            *[(slug, territory.name) for slug, territory in self.departements.items()],
            (OUTSIDE_NORMANDY, "Hors de Normandie"),
        ]
        if privacy_url:
            self.fields["consent"].help_text = format_html(
                'Vos données sont supprimées après l\'événement. <a href="{}">Vos données et '
                "vos droits</a>.",
                privacy_url,
            )
        else:
            self.fields["consent"].help_text = "Vos données sont supprimées après l'événement."

    def clean_occurrence(self):
        occurrence = self.cleaned_data["occurrence"]
        refusal = occurrence.registration_refusal()
        if refusal:
            raise forms.ValidationError(refusal)
        return occurrence

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Indiquez votre nom et votre prénom.")
        return name

    def clean_territory(self):
        value = self.cleaned_data["territory"]
        return self.departements.get(value)

    @property
    def closing_label(self):
        if not self.open_occurrences:
            return ""
        closes = self.open_occurrences[0].registration_closes_at
        return deadline_label(closes)
