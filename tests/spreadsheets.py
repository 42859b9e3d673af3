"""Reading the admin's exports as a spreadsheet program would: the CSV bytes with the byte-order
mark and the reader's separator, the XLSX with openpyxl. Both readers check what every export
promises (core/spreadsheets.py), so that each test of an export checks it too."""

import codecs
import csv
import io
from dataclasses import dataclass

import openpyxl

SEPARATOR = {"nl": ";", "de": ";", "en": ","}


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response, language: str) -> list[list[str]]:
    """The rows of a CSV export as Excel set to ``language`` splits them."""
    body = _body(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(codecs.BOM_UTF8), "Excel needs the byte-order mark to read UTF-8"
    text = body[len(codecs.BOM_UTF8) :].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=SEPARATOR[language]))
    # Split on the wrong separator, every row would be a single cell.
    assert len(rows[0]) > 1, rows[0]
    return rows


@dataclass
class Sheet:
    title: str  # the first row: what, with which filters, when
    headings: list[str]
    rows: list[tuple]
    worksheet: object


def xlsx_sheet(response) -> Sheet:
    """The sheet of an XLSX export, after checking its layout: a title row, a bold header row
    frozen with it, and an autofilter over the header and the rows."""
    workbook = openpyxl.load_workbook(io.BytesIO(_body(response)))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    headings = [value for value in values[1] if value is not None]
    assert sheet.freeze_panes == "A3"
    assert all(cell.font.b for cell in sheet[2][: len(headings)])
    last_column = openpyxl.utils.get_column_letter(len(headings))
    assert sheet.auto_filter.ref == f"A2:{last_column}{len(values)}"
    for index in range(1, len(headings) + 1):
        assert sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width >= 8
    return Sheet(title=values[0][0], headings=headings, rows=values[2:], worksheet=sheet)
