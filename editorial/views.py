"""The contributor's guide: how the communications staff publish on the site, in French.

One admin page, open to every user who can reach the admin (Rédacteurs included), linked from
the admin menu (see wagtail_hooks.py). Its illustrations are screenshots of this admin, taken
by the browser test tests/browser/test_editorial_flow.py with the capture code of `make
screenshots` (tools/screenshots/), which rewrites them with --update-guide.
"""

from django.urls import reverse_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

GUIDE_TITLE = "Guide du contributeur"
# In the admin's 200 px menu, where the title would be cut ("Guide du contribut…").
GUIDE_MENU_LABEL = "Guide du site"
SCREENSHOTS_DIR = "editorial/guide"


class ContributorGuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "editorial/guide/index.html"
    page_title = GUIDE_TITLE
    header_icon = "info-circle"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": "Tableau de bord"},
        {"url": "", "label": GUIDE_TITLE},
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["screenshots_dir"] = SCREENSHOTS_DIR
        return context
