"""The list of a form page's submissions in the admin, and its exports."""

from wagtail.contrib.forms.views import SubmissionsListView

from cress_site.spreadsheets import SafeSpreadsheetExportMixin


class FormSubmissionsListView(SafeSpreadsheetExportMixin, SubmissionsListView):
    """Wagtail's list of submissions; what people typed is exported as text (no formula in the
    CSV, no control character that would break the XLSX: see cress_site.spreadsheets)."""
