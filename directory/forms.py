"""The admin's forms of the directory: what the staff change is theirs from then on.

A field the staff change on a unit or an establishment imported from a file is added to its
`staff_fields`: the next imports leave it as the staff wrote it. The form shows those fields as
boxes to tick: unticking one hands it back to the import. A unit or an establishment the staff
add themselves is a manual entry (`source = manuel`), which no import ever changes.
"""

from django import forms

from wagtail.admin.forms import WagtailAdminModelForm

from directory.choices import Source
from directory.importers import ENTERPRISE_FIELDS, ESTABLISHMENT_FIELDS, STATE_FIELDS

COMMUNE_ONLY = "Choisissez une commune, pas une intercommunalité ni un département."


class StaffFieldsForm(WagtailAdminModelForm):
    """Records the fields the staff changed into `staff_fields`; a new row is a manual one."""

    importable = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = self._meta.model._meta
        choices = [
            (name, str(opts.get_field(name).verbose_name).capitalize()) for name in self.importable
        ]
        self.fields["staff_fields"] = forms.MultipleChoiceField(
            label="Champs corrigés par l'équipe",
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=list(self.instance.staff_fields or []),
            help_text="Un import ne remplace jamais ces champs. Les champs que vous modifiez "
            "ici s'y ajoutent ; décochez-en un pour que l'import le mette de nouveau à jour.",
        )
        if self.instance.pk and self.instance.source == Source.MANUAL:
            self.fields[
                "staff_fields"
            ].help_text = "Saisie de l'équipe : aucun import ne la modifie."

    def save(self, commit=True):
        instance = super().save(commit=False)
        if instance.pk is None:
            instance.source = Source.MANUAL
            instance.staff_fields = []
        else:
            kept = set(self.cleaned_data.get("staff_fields") or ())
            kept |= {name for name in self.changed_data if name in self.importable}
            instance.staff_fields = sorted(kept)
        self.before_save(instance)
        if commit:
            instance.save()
            self.save_m2m()
            self.after_save(instance)
        return instance

    def before_save(self, instance):
        pass

    def after_save(self, instance):
        pass


class EnterpriseForm(StaffFieldsForm):
    importable = tuple(ENTERPRISE_FIELDS + STATE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.source != Source.MANUAL:
            # The import finds a unit by its SIREN.
            self.fields["siren"].disabled = True

    def after_save(self, instance):
        instance.refresh_public()


class EstablishmentForm(StaffFieldsForm):
    importable = tuple(
        [
            name.removesuffix("_id")
            for name in ESTABLISHMENT_FIELDS
            if name not in ("epci_id", "departement_id")  # follow the commune
        ]
        + STATE_FIELDS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.source != Source.MANUAL:
            self.fields["siret"].disabled = True
        if "commune" in self.fields:
            self.fields["commune"].error_messages["invalid_choice"] = COMMUNE_ONLY

    def clean(self):
        cleaned = super().clean()
        siret, enterprise = cleaned.get("siret"), cleaned.get("enterprise")
        if siret and enterprise and not siret.startswith(enterprise.siren):
            self.add_error("siret", "Un SIRET commence par le SIREN de son entreprise.")
        commune = cleaned.get("commune")
        if commune is not None and commune.kind != "commune":
            self.add_error(
                "commune", "Choisissez une commune, pas une intercommunalité ni un département."
            )
        return cleaned

    def before_save(self, instance):
        commune = instance.commune
        if commune is not None and "commune" in self.changed_data:
            parent = commune.parent
            instance.epci = parent if parent is not None and parent.kind == "epci" else None
            instance.departement = commune.departement

    def after_save(self, instance):
        instance.enterprise.refresh_public()
