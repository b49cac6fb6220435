"""The editorial team's part of the Wagtail admin: who reads the forms' answers, and the
contributors' guide."""

from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from editorial.urls import urlpatterns
from editorial.views import GUIDE_MENU_LABEL

FORM_SUBMISSIONS_PERMISSION = "wagtailforms.view_formsubmission"


@hooks.register("filter_form_submissions_for_user")
def limit_form_submissions_to_their_readers(user, editable_forms):
    """Answers to the site's forms hold personal data (names, e-mail addresses, requests for
    support): only the groups given "Can view form submission" read them, not everyone who can
    edit the form page (Wagtail's rule)."""
    if user.has_perm(FORM_SUBMISSIONS_PERMISSION):
        return editable_forms
    return editable_forms.none()


@hooks.register("register_admin_urls")
def register_contributor_guide_url():
    return urlpatterns


@hooks.register("register_admin_menu_item")
def register_contributor_guide_menu_item():
    """Shown to everyone who reaches the admin: Rédacteurs, Modérateurs and Administrateurs."""
    return MenuItem(
        GUIDE_MENU_LABEL,
        reverse("editorial_guide"),
        name="guide-du-contributeur",
        icon_name="info-circle",
        order=10500,
    )
