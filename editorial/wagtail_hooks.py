from wagtail import hooks

FORM_SUBMISSIONS_PERMISSION = "wagtailforms.view_formsubmission"


@hooks.register("filter_form_submissions_for_user")
def limit_form_submissions_to_their_readers(user, editable_forms):
    """Answers to the site's forms hold personal data (names, e-mail addresses, requests for
    support): only the groups given "Can view form submission" read them, not everyone who can
    edit the form page (Wagtail's rule)."""
    if user.has_perm(FORM_SUBMISSIONS_PERMISSION):
        return editable_forms
    return editable_forms.none()
