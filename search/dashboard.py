"""The dashboard panel of the searches that found nothing this week."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from cress_site.dashboard import DashboardPanel
from search.admin_views import WITHOUT_RESULTS
from search.models import SearchQueryDay

SEARCH_REPORT_PERMISSION = "search.view_searchqueryday"


class SearchesWithoutResultsPanel(DashboardPanel):
    """The searches that found nothing over the last 7 days (today included), most frequent
    first, for the users who may read the search report. One query."""

    name = "searches_without_results"
    template_name = "search/dashboard/searches_without_results.html"
    order = 150
    limit = 5
    days = 7

    def is_shown(self):
        return self.user.has_perm(SEARCH_REPORT_PERMISSION)

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        end = timezone.localdate()
        start = end - timedelta(days=self.days - 1)
        rows = list(
            SearchQueryDay.objects.summary(start, end, without_results_only=True).order_by(
                "-total_without_results", "-total_hits", "key"
            )[: self.limit]
        )
        report_filters = {
            "results": WITHOUT_RESULTS,
            "date_from": start.isoformat(),
            "date_to": end.isoformat(),
        }
        context.update(
            rows=rows,
            days=self.days,
            report_url=f"{reverse('search_queries_report')}?{urlencode(report_filters)}",
        )
        return context
