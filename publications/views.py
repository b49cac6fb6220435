"""Admin report: how many times each publication was downloaded, month by month."""

from django.utils.formats import date_format
from django.utils.functional import cached_property

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Page
from wagtail.permissions import policy_registry

import django_filters

from cress_site.spreadsheets import SafeSpreadsheetExportMixin
from publications.downloads import DownloadCount


class DownloadsReportFilterSet(WagtailFilterSet):
    month_from = django_filters.DateFilter(
        field_name="month", lookup_expr="gte", label="Depuis le mois de", widget=AdminDateInput
    )
    month_to = django_filters.DateFilter(
        field_name="month", lookup_expr="lte", label="Jusqu'au mois de", widget=AdminDateInput
    )

    class Meta:
        model = DownloadCount
        fields = []


class PublicationColumn(Column):
    def get_value(self, instance):
        return instance.publication.title


class DocumentColumn(Column):
    def get_value(self, instance):
        return instance.document.title if instance.document_id else "(document supprimé)"


class MonthColumn(Column):
    def get_value(self, instance):
        return date_format(instance.month, "F Y")


class DownloadsReportView(SafeSpreadsheetExportMixin, ReportView):
    page_title = "Téléchargements des publications"
    header_icon = "download"
    filterset_class = DownloadsReportFilterSet
    export_filename = "telechargements-publications"
    index_url_name = "publication_downloads_report"
    index_results_url_name = "publication_downloads_report_results"
    any_permission_required = ["add", "change", "publish"]
    columns = [
        PublicationColumn("publication", label="Publication"),
        DocumentColumn("document", label="Document"),
        MonthColumn("month", label="Mois"),
        Column("count", label="Téléchargements"),
    ]
    list_export = ["publication", "document", "month", "count"]
    export_headings = {
        "publication": "Publication",
        "document": "Document",
        "month": "Mois",
        "count": "Téléchargements",
    }

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    def get_queryset(self):
        return DownloadCount.objects.select_related("publication", "document").order_by(
            "-month", "-count", "publication__title"
        )

    def to_row_dict(self, item):
        return {
            "publication": item.publication.title,
            "document": item.document.title if item.document_id else "",
            "month": item.month.strftime("%Y-%m"),
            "count": item.count,
        }
