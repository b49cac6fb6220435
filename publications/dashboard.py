"""The dashboard panel of the publications most downloaded this month."""

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode

from wagtail.models import Page

from cress_site.dashboard import PAGE_REPORT_PERMISSIONS, DashboardPanel, page_permission_policy
from publications.downloads import DownloadCount


class PopularPublicationsPanel(DashboardPanel):
    """The publications most downloaded this month, for the users who may read the downloads
    report.

    Two queries: this month's totals by publication, then their pages (title and permissions).
    """

    name = "popular_publications"
    template_name = "publications/dashboard/popular_publications.html"
    order = 140
    limit = 5

    def is_shown(self):
        return page_permission_policy().user_has_any_permission(self.user, PAGE_REPORT_PERMISSIONS)

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        month = timezone.localdate().replace(day=1)  # as DownloadCount.record() counts them
        totals = list(
            DownloadCount.objects.filter(month=month)
            .values("publication")
            .annotate(total=Sum("count"))
            .order_by("-total", "publication__title", "publication")[: self.limit]
        )
        pages = Page.objects.in_bulk([row["publication"] for row in totals])
        policy = page_permission_policy()
        rows = []
        for row in totals:
            page = pages.get(row["publication"])
            if page is None:
                continue
            rows.append(
                {
                    "page": page,
                    "downloads": row["total"],
                    "can_edit": policy.user_has_permission_for_instance(self.user, "change", page),
                }
            )
        report_filters = {"month_from": month.isoformat(), "month_to": month.isoformat()}
        context.update(
            rows=rows,
            month_label=date_format(month, "F Y"),
            report_url=f"{reverse('publication_downloads_report')}?{urlencode(report_filters)}",
        )
        return context
