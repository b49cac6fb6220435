"""The home app's part of the Wagtail admin: the dashboard panel of the latest form requests."""

from wagtail import hooks

from home.dashboard import FormSubmissionsPanel


@hooks.register("construct_homepage_panels")
def add_form_submissions_panel(request, panels):
    panels.append(FormSubmissionsPanel(request))
