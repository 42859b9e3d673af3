"""The one spreadsheet export of Vaardig: every CSV and XLSX download in the admin (coverage,
the names behind a figure, mandatory training, the audit log, the certificate register and
every viewset's list) is written here.

It takes the place of Wagtail's SpreadsheetExportMixin (which Wagtail's IndexView and
ReportView carry) in one subclass; ExportIndexView and ExportReportView are those views with
it, and the viewsets use ExportIndexView (core.admin_views.AuditedModelViewSet).

What a reader gets:

- CSV for Excel as it is set up in the reader's language: UTF-8 with a byte-order mark (or
  Excel reads "technologieën" as "technologieÃ«n"), ``;`` between cells for Dutch and German
  (whose Excel takes ``,`` as the decimal comma) and ``,`` for English; dates as dd-mm-yyyy,
  decimals with the reader's decimal mark.
- XLSX with a title row (what, with which filters, when), a bold frozen header row, an
  autofilter, column widths from the content and dates as dates.
- Both: a text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'``, so that a name or a note typed as ``=HYPERLINK(...)`` is shown and never run as
  a formula (OWASP "CSV injection"). Numbers are numbers, so a negative number stays one.
"""

import csv
import datetime
import decimal
import itertools
from io import BytesIO

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import SpreadsheetExportMixin as WagtailSpreadsheetExportMixin
from wagtail.admin.views.reports import ReportView

from core.ids import IdFilterSet

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel in these languages takes "," as the decimal mark and wants ";" between cells.
SEMICOLON_LANGUAGES = {"nl", "de"}

CSV_DATE = "%d-%m-%Y"
CSV_DATETIME = "%d-%m-%Y %H:%M"
XLSX_DATE = "DD-MM-YYYY"
XLSX_DATETIME = "DD-MM-YYYY HH:MM"

# Column widths in characters: read from the headings and the first rows.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60


def neutralise(text: str) -> str:
    """A text as a cell that no spreadsheet program runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def reader_language() -> str:
    return (translation.get_language() or "nl").split("-")[0]


def csv_delimiter() -> str:
    return ";" if reader_language() in SEMICOLON_LANGUAGES else ","


def _local(value: datetime.datetime) -> datetime.datetime:
    """A moment as the wall-clock time of the installation, without a time zone (neither
    Excel nor a CSV has one)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def csv_text(value) -> str:
    """A value as the text of a CSV cell for the reader's Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(CSV_DATETIME)
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | decimal.Decimal):
        text = str(value)
        return text.replace(".", ",") if csv_delimiter() == ";" else text
    if isinstance(value, list | tuple):
        value = ", ".join(force_str(item) for item in value)
    return neutralise(force_str(value))


def xlsx_value(value):
    """A value as an XLSX cell holds it: numbers and dates as such, texts neutralised and
    without the control characters a workbook may not contain."""
    if value is None or isinstance(value, bool | int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return _local(value)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(force_str(item) for item in value)
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", force_str(value)))


def _width(value) -> int:
    if isinstance(value, datetime.datetime):
        return len("00-00-0000 00:00")
    if isinstance(value, datetime.date):
        return len("00-00-0000")
    return max(
        (len(line) for line in str(value if value is not None else "").splitlines()), default=0
    )


class _Echo:
    """The csv writer writes into this and gets the line back, for a streamed response."""

    def write(self, value):
        return value


class SpreadsheetExportMixin(WagtailSpreadsheetExportMixin):
    """Wagtail's spreadsheet export, written as Vaardig's readers need it (see the module).

    A view says what it exports with ``list_export`` and ``export_headings`` as for Wagtail;
    the XLSX title names ``export_title`` (the page title unless set) and what
    ``export_filters()`` returns."""

    export_title = None

    def get_export_title(self) -> str:
        if self.export_title:
            return force_str(self.export_title)
        get_page_title = getattr(self, "get_page_title", None)
        return force_str(get_page_title() if get_page_title else self.get_filename())

    def export_filters(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in use, as the listing shows them above its rows."""
        filters = [
            (force_str(active.field_label), force_str(active.value))
            for active in (getattr(self, "active_filters", None) or [])
        ]
        query = getattr(self, "search_query", "")
        if query:
            filters.append((_("Search"), query))
        return filters

    def export_description(self) -> str:
        """The XLSX title row: what was exported, with which filters, and when."""
        filters = "; ".join(f"{label}: {value}" for label, value in self.export_filters())
        when = _local(timezone.now()).strftime(CSV_DATETIME)
        if filters:
            return _("%(what)s, filtered by %(filters)s, exported on %(when)s") % {
                "what": self.get_export_title(),
                "filters": filters,
                "when": when,
            }
        return _("%(what)s, without filters, exported on %(when)s") % {
            "what": self.get_export_title(),
            "when": when,
        }

    def export_headings_list(self, queryset) -> list[str]:
        return [self.get_heading(queryset, field) for field in self.list_export]

    def export_values(self, item, export_format) -> list:
        return [
            self.preprocess_field_value(field, value, export_format)
            for field, value in self.to_row_dict(item).items()
        ]

    def get_preprocess_function(self, field, value, export_format):
        # Wagtail's own preprocessing turns dates into texts in its own format; dates, numbers
        # and lists are left to csv_text and xlsx_value here. A view's custom_field_preprocess
        # still applies.
        format_dict = self.custom_field_preprocess.get(field, {})
        if export_format in format_dict:
            return format_dict[export_format]
        return None

    # CSV

    def stream_csv(self, queryset):
        # The response is streamed after the view has returned, when the request's language
        # is no longer active: each line is written with it active again.
        return _in_language(self._csv_lines(queryset), translation.get_language())

    def _csv_lines(self, queryset):
        writer = csv.writer(_Echo(), delimiter=csv_delimiter())
        yield (BOM + writer.writerow(self.export_headings_list(queryset))).encode()
        for item in queryset:
            values = self.export_values(item, self.FORMAT_CSV)
            yield writer.writerow([csv_text(value) for value in values]).encode()

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    # XLSX

    def write_xlsx(self, queryset, output: BytesIO):
        headings = self.export_headings_list(queryset)
        rows = (
            [xlsx_value(value) for value in self.export_values(item, self.FORMAT_XLSX)]
            for item in queryset
        )
        sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=self.get_export_title()[:31] or "Export")
        # A write-only sheet takes its widths and frozen rows before the first row.
        for index, heading in enumerate(headings, start=1):
            width = max([_width(heading)] + [_width(row[index - 1]) for row in sample]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(width, MIN_WIDTH), MAX_WIDTH
            )
        sheet.freeze_panes = "A3"  # the title row and the header row stay in view

        title = WriteOnlyCell(sheet, xlsx_value(self.export_description()))
        title.font = Font(bold=True, size=12)
        sheet.append([title])
        header = []
        for heading in headings:
            cell = WriteOnlyCell(sheet, xlsx_value(heading))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)

        count = 0
        for values in itertools.chain(sample, rows):
            sheet.append([self._xlsx_cell(sheet, value) for value in values])
            count += 1
        if headings:
            sheet.auto_filter.ref = f"A2:{get_column_letter(len(headings))}{2 + count}"
        workbook.save(output)

    def _xlsx_cell(self, sheet, value):
        cell = WriteOnlyCell(sheet, value)
        if cell.data_type == "f":  # never a formula, whatever openpyxl makes of a text
            cell.data_type = "s"
        if isinstance(value, datetime.datetime):
            cell.number_format = XLSX_DATETIME
        elif isinstance(value, datetime.date):
            cell.number_format = XLSX_DATE
        return cell


def _in_language(rows, language):
    # Each row is produced while the generator runs, so the language must be active around
    # every step of it, not around the yield.
    while True:
        with translation.override(language):
            row = next(rows, None)
        if row is None:
            return
        yield row


class ExportIndexView(SpreadsheetExportMixin, IndexView):
    """Wagtail's listing of a viewset, with Vaardig's export and filters that check ids."""

    base_filterset_class = IdFilterSet


class ExportReportView(SpreadsheetExportMixin, ReportView):
    """Wagtail's report view with Vaardig's export."""
