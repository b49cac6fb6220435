from django.db.models import OuterRef, Subquery, Sum
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet

from cress_site.demo import DEMO_CONTENT_HOOK, DemoLoader
from publications.dashboard import PopularPublicationsPanel
from publications.downloads import DownloadCount
from publications.models import PublicationPage
from publications.views import DownloadsReportView


class DownloadsColumn(Column):
    def get_value(self, instance):
        return getattr(instance, "download_total", 0) or 0


class PublicationIndexView(IndexView):
    add_item_label = "Ajouter une publication"

    def get_base_queryset(self):
        totals = (
            DownloadCount.objects.filter(publication=OuterRef("pk"))
            .values("publication")
            .annotate(total=Sum("count"))
            .values("total")
        )
        return super().get_base_queryset().annotate(download_total=Subquery(totals))


class PublicationListingViewSet(PageListingViewSet):
    """Every publication in one flat list, with its type, year and downloads."""

    model = PublicationPage
    index_view_class = PublicationIndexView
    icon = "doc-full-inverse"
    menu_label = "Publications"
    menu_order = 110
    add_to_admin_menu = True
    name = "publications"
    columns = (
        PageListingViewSet.columns[:2]
        + [
            Column("kind", label="Type", accessor="get_kind_display"),
            Column("year", label="Année", sort_key="publication_date"),
            DownloadsColumn("downloads", label="Téléchargements"),
        ]
        + PageListingViewSet.columns[2:]
    )


@hooks.register("register_admin_viewset")
def register_publication_listing():
    return PublicationListingViewSet("publications")


@hooks.register("register_admin_urls")
def register_downloads_report_urls():
    return [
        path(
            "reports/telechargements/",
            DownloadsReportView.as_view(),
            name="publication_downloads_report",
        ),
        path(
            "reports/telechargements/results/",
            DownloadsReportView.as_view(results_only=True),
            name="publication_downloads_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_downloads_report_menu_item():
    return MenuItem(
        "Téléchargements des publications",
        reverse("publication_downloads_report"),
        icon_name="download",
        order=700,
    )


@hooks.register("construct_homepage_panels")
def add_popular_publications_panel(request, panels):
    panels.append(PopularPublicationsPanel(request))


@hooks.register(DEMO_CONTENT_HOOK)
def register_demo_content():
    return DemoLoader("publications", 20, "publications.demo.build_publications")
