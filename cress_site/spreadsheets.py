"""Spreadsheet exports of what people typed: never a formula, never a character the XLSX format
refuses.

`SafeSpreadsheetExportMixin` goes before Wagtail's `SpreadsheetExportMixin` (or a view built on
it: wagtail_modeladmin's index, the form submissions' list, the reports), and passes every value
through `spreadsheet_value()`. Text sent through the site's forms before their inputs were
checked may hold control characters, which openpyxl refuses (`IllegalCharacterError`: the whole
export fails); and a value starting with "=", "+", "-" or "@" is run as a formula by spreadsheet
programs opening a CSV (the XLSX export already writes such values as text).

The CSV is written as French spreadsheet programs read it: columns separated by semicolons (the
comma is the decimal separator in French; Excel set to French opens a comma-separated file in one
column) and a UTF-8 byte order mark, so that the accents read right.
"""

import csv

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
UTF8_BOM = "\ufeff"


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


class _LineWriter:
    """A file-like object whose `write()` returns the line instead of storing it, so that the
    CSV is streamed line by line."""

    def write(self, value):
        return value


class SafeSpreadsheetExportMixin:
    """Every exported value through `spreadsheet_value()`; the CSV with semicolons and a byte
    order mark, as French spreadsheet programs open it in columns."""

    def stream_csv(self, queryset):
        writer = csv.DictWriter(_LineWriter(), fieldnames=self.list_export, delimiter=CSV_DELIMITER)
        yield UTF8_BOM
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_value(value, export_format)
