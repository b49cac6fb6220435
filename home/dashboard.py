"""The dashboard panel of the latest requests sent through the site's forms."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator

from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.forms.utils import get_forms_for_user

from cress_site.dashboard import DashboardPanel
from home.models import FormField

# The form fields a request is summed up by, by their `clean_name` (the French labels of the
# demo's "Demande d'accompagnement" and "Contact" forms, snake-cased). A form without them is
# summed up by its first e-mail field and its first multi-line field.
NAME_FIELDS = ("prenom", "nom")
ORGANISATION_FIELDS = ("collectivite", "organisation", "structure")
SUBJECT_FIELDS = ("objet", "votre_besoin")
SUBJECT_LENGTH = 90


class FormSubmissionsPanel(DashboardPanel):
    """The latest requests sent through the forms whose submissions the user may read (Wagtail's
    `get_forms_for_user`: the form pages they may edit, narrowed by the
    `filter_form_submissions_for_user` hooks), summed up by who sent them and what about.

    Three queries: the user's forms, their latest submissions, the fields of those forms.
    """

    name = "latest_form_submissions"
    template_name = "home/dashboard/form_submissions.html"
    order = 110
    limit = 5

    @cached_property
    def forms(self):
        """The user's form pages by id."""
        pages = get_forms_for_user(self.user).order_by("title").only("pk", "title")
        return {page.pk: page for page in pages}

    def is_shown(self):
        return bool(self.forms)

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        latest = FormSubmission.objects.filter(page_id__in=self.forms)
        submissions = list(latest.order_by("-submit_time", "-pk")[: self.limit])
        fields_by_page = {}
        if submissions:
            page_ids = {submission.page_id for submission in submissions}
            for field in FormField.objects.filter(page_id__in=page_ids).order_by(
                "sort_order", "pk"
            ):
                fields_by_page.setdefault(field.page_id, []).append(field)
        context.update(
            rows=[
                self.row(submission, fields_by_page.get(submission.page_id, []))
                for submission in submissions
            ],
            forms=[
                {"page": page, "url": reverse("wagtailforms:list_submissions", args=[page.pk])}
                for page in self.forms.values()
            ],
            all_forms_url=reverse("wagtailforms:index"),
        )
        return context

    def row(self, submission, fields):
        page = self.forms[submission.page_id]
        return {
            "submitted_at": submission.submit_time,
            "page": page,
            "url": reverse("wagtailforms:list_submissions", args=[page.pk]),
            **summarise_submission(submission.form_data, fields),
        }


def field_text(value):
    """A submitted value as text: checkboxes joined, empty values and booleans left out."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value if item)
    return " ".join(str(value).split())


def summarise_submission(data, fields):
    """`who`, `organisation` and `subject` of a submission, from its `form_data` and its form's
    fields (`FormField`s, to fall back on the e-mail and the message)."""

    def first(names):
        return next((text for name in names if (text := field_text(data.get(name)))), "")

    def first_of_type(field_type):
        return first(field.clean_name for field in fields if field.field_type == field_type)

    who = " ".join(text for name in NAME_FIELDS if (text := field_text(data.get(name))))
    subject = first(SUBJECT_FIELDS) or first_of_type("multiline")
    return {
        "who": who or first_of_type("email"),
        "organisation": first(ORGANISATION_FIELDS),
        "subject": Truncator(subject).chars(SUBJECT_LENGTH),
    }
