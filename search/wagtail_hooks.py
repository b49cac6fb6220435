from django.contrib.auth.models import Permission
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search.admin_views import SearchReportView
from search.dashboard import SearchesWithoutResultsPanel

VIEW_PERMISSION = "search.view_searchqueryday"


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [
        path("reports/recherches/", SearchReportView.as_view(), name="search_queries_report"),
        path(
            "reports/recherches/results/",
            SearchReportView.as_view(results_only=True),
            name="search_queries_report_results",
        ),
    ]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return SearchReportMenuItem(
        "Recherches sur le site",
        reverse("search_queries_report"),
        icon_name="search",
        order=710,
    )


@hooks.register("register_permissions")
def register_search_report_permission():
    """Lets administrators give the report to a group (Paramètres > Groupes)."""
    return Permission.objects.filter(
        content_type__app_label="search", codename="view_searchqueryday"
    )


@hooks.register("construct_reports_menu")
def hide_wagtail_search_terms_report(request, menu_items):
    """Wagtail's own "search terms" report reads hits this site does not record (a database
    write per search): "Recherches sur le site" replaces it."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]


@hooks.register("construct_homepage_panels")
def add_searches_without_results_panel(request, panels):
    panels.append(SearchesWithoutResultsPanel(request))
