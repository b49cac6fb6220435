"""Spreadsheet exports of what people typed: never a formula, never a character the XLSX format
refuses.

`SafeSpreadsheetExportMixin` goes before Wagtail's `SpreadsheetExportMixin` (or a view built on
it: wagtail_modeladmin's index, the form submissions' list, the reports), and passes every value
through `spreadsheet_value()`. Text sent through the site's forms before their inputs were
checked may hold control characters, which openpyxl refuses (`IllegalCharacterError`: the whole
export fails); and a value starting with "=", "+", "-" or "@" is run as a formula by spreadsheet
programs opening a CSV (the XLSX export already writes such values as text).
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_value(value, export_format):
    """`value` as it goes into a spreadsheet cell of `export_format` ("csv" or "xlsx"): text
    without the control characters XLSX refuses (tab and line breaks stay), and, in a CSV, text
    that would start a formula prefixed with an apostrophe."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if export_format == "csv" and value.startswith(CSV_FORMULA_PREFIXES):
        value = "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """Every exported value through `spreadsheet_value()`."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_value(value, export_format)
