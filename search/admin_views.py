"""Admin report: what people search for on the site, and what they do not find."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import ModelPermissionPolicy

import django_filters

from cress_site.spreadsheets import SafeSpreadsheetExportMixin
from search.models import SearchQueryDay

DEFAULT_PERIOD_DAYS = 30
WITHOUT_RESULTS = "sans-resultat"
INVALID_DATE = "Saisissez une date valide, par exemple 31/12/2025."


class SearchReportForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "La date de fin doit être postérieure à la date de début.")
        return cleaned_data


class SearchReportFilterSet(WagtailFilterSet):
    # The report filters its aggregated rows itself (SearchReportView.get_queryset): these
    # filters only give the form, its validation and the "active filters" labels.
    date_from = django_filters.DateFilter(
        label="Depuis le",
        method="leave_unfiltered",
        widget=AdminDateInput,
        help_text=f"Par défaut : {DEFAULT_PERIOD_DAYS} jours jusqu'à la date de fin incluse.",
        error_messages={"invalid": INVALID_DATE},
    )
    date_to = django_filters.DateFilter(
        label="Jusqu'au",
        method="leave_unfiltered",
        widget=AdminDateInput,
        help_text="Par défaut : aujourd'hui.",
        error_messages={"invalid": INVALID_DATE},
    )
    results = django_filters.ChoiceFilter(
        label="Afficher",
        method="leave_unfiltered",
        choices=((WITHOUT_RESULTS, "Recherches sans résultat"),),
        empty_label="Toutes les recherches",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = SearchQueryDay
        fields = []
        form = SearchReportForm

    def leave_unfiltered(self, queryset, name, value):
        return queryset


class DayColumn(Column):
    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "SHORT_DATE_FORMAT") if value else ""


class SearchReportView(SafeSpreadsheetExportMixin, ReportView):
    """What people searched for; a query typed as "=HYPERLINK(…)" is exported as text (see
    cress_site.spreadsheets)."""

    page_title = "Recherches sur le site"
    header_icon = "search"
    results_template_name = "search/admin/report_results.html"
    filterset_class = SearchReportFilterSet
    index_url_name = "search_queries_report"
    index_results_url_name = "search_queries_report_results"
    permission_required = "view"
    columns = [
        Column("label", label="Recherche", sort_key="label"),
        Column("total_hits", label="Recherches", sort_key="total_hits"),
        Column("total_without_results", label="Sans résultat", sort_key="total_without_results"),
        DayColumn("last_day", label="Dernier jour", sort_key="last_day"),
    ]
    list_export = ["label", "total_hits", "total_without_results", "last_day"]
    export_headings = {
        "label": "Recherche",
        "total_hits": "Nombre de recherches",
        "total_without_results": "Recherches sans résultat",
        "last_day": "Dernier jour",
    }

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(SearchQueryDay)

    @cached_property
    def period(self):
        """The (start, end) dates shown: the chosen ones, or the last 30 days (today included)
        when none or invalid ones were given."""
        today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
        start = end = None
        form = self.filters.form
        if form.is_valid() or not ({"date_from", "date_to"} & set(form.errors)):
            start, end = form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
        if end is None:
            end = max(today, start) if start else today
        if start is None:
            start = end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        return start, end

    @cached_property
    def without_results_only(self):
        form = self.filters.form
        form.is_valid()
        return getattr(form, "cleaned_data", {}).get("results") == WITHOUT_RESULTS

    @cached_property
    def filter_errors(self):
        """The filter form's errors, for a message above the results (the fields themselves
        are in a drop-down)."""
        form = self.filters.form
        if form.is_valid():
            return []
        return [
            f"{form.fields[name].label} : {message}"
            for name, messages in form.errors.items()
            if name in form.fields
            for message in messages
        ]

    def get_ordering(self):
        ordering = self.request.GET.get("ordering")
        if ordering in self.get_valid_orderings():
            return ordering
        return "-total_without_results" if self.without_results_only else "-total_hits"

    def get_queryset(self):
        start, end = self.period
        # By query: alphabetical on the folded form, whatever the case and accents typed.
        primary = self.ordering.replace("label", "key")
        ordering = [primary]
        for tie_breaker in ("-total_hits", "-last_day", "key"):
            if tie_breaker.lstrip("-") != primary.lstrip("-"):
                ordering.append(tie_breaker)
        return SearchQueryDay.objects.summary(
            start, end, without_results_only=self.without_results_only
        ).order_by(*ordering)

    def get_filtered_queryset(self):
        return self.get_queryset()

    @cached_property
    def no_results_message(self):
        if self.without_results_only:
            return "Aucune recherche sans résultat sur cette période."
        return "Aucune recherche sur cette période."

    def get_filename(self):
        start, end = self.period
        suffix = "-sans-resultat" if self.without_results_only else ""
        return f"recherches{suffix}-{start:%Y-%m-%d}-{end:%Y-%m-%d}"

    def to_row_dict(self, item):
        return {field: item[field] for field in self.list_export}
