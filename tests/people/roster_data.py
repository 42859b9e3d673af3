"""Roster files as the HR system exports them, and the roles they name, for the roster tests."""

import io
import re
import zipfile

from openpyxl import Workbook

from people.roster import COMPLETE, roster_import

HEADER = "Personeelsnummer;E-mail;Voornaam;Tussenvoegsel;Achternaam;Afdeling;Rollen;Leidinggevende;Datum in dienst"
ROWS = [
    "1001;jan@zwolle.example;Jan;van der;Berg;Gemeente Zwolle/Dienstverlening/KCC;KCC;1002;1-3-2020",
    "1002;els@zwolle.example;Els;;Ünal;Gemeente Zwolle/Dienstverlening;MGR|ALL;;2015-01-01",
    "1003;anne@zwolle.example;Anne-Marie;'t;Hart;Gemeente Zwolle/Dienstverlening/KCC;KCC,POL;1002;01-09-2021",
]


def csv_bytes(*rows, header=HEADER, encoding="utf-8", delimiter=";"):
    text = "\n".join([header, *rows]) + "\n"
    return text.replace(";", delimiter).encode(encoding)


def staff_rows(count, *, start=1, unit="Gemeente Zwolle/Dienstverlening/KCC"):
    """``count`` plain employees of Gemeente Zwolle, numbered from ``start``."""
    return [
        f"{n};p{n}@zwolle.example;Persoon;;{n};{unit};KCC;;" for n in range(start, start + count)
    ]


def run(data, kind=COMPLETE, dry_run=False, confirm_new_units=True, **confirmations):
    """Import as the command line does. New units are confirmed unless a test says otherwise:
    most tests start from an empty organisation."""
    return roster_import(
        data=data,
        kind=kind,
        acting_user=None,
        dry_run=dry_run,
        confirm_new_units=confirm_new_units,
        **confirmations,
    )


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with(data: bytes, part: str, content: bytes | None) -> bytes:
    """The workbook ``data`` with one part of its package replaced (None: left out)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item, source.read(item.filename))
            elif content is not None:
                target.writestr(item, content)
    return buffer.getvalue()


GOOD_XLSX_ROWS = [
    ["Employee number", "E-mail", "Full name", "Org unit", "Roles"],
    [1, "a@zwolle.example", "Anna de Wit", "Gemeente Zwolle/KCC", "KCC"],
]


def damaged_files() -> dict[str, bytes]:
    """Files HR might upload by mistake or that broke on the way, by what is wrong."""
    good = xlsx_bytes(GOOD_XLSX_ROWS)
    no_sheets = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xlsx_part(good, "xl/workbook.xml"))
    return {
        "truncated xlsx": good[: len(good) // 2],
        "broken workbook part": xlsx_with(good, "xl/workbook.xml", b"<workbook><sheets>"),
        "missing workbook part": xlsx_with(good, "xl/workbook.xml", None),
        "broken sheet": xlsx_with(good, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
        "missing sheet": xlsx_with(good, "xl/worksheets/sheet1.xml", None),
        "broken content types": xlsx_with(good, "[Content_Types].xml", b"<Types"),
        "missing content types": xlsx_with(good, "[Content_Types].xml", None),
        "workbook without a worksheet": xlsx_with(good, "xl/workbook.xml", no_sheets),
        "old excel": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
        "binary": bytes(range(256)) * 4,
        "cell over 128 KB": b"Employee number;E-mail\n" + b"1;" + b"x" * (128 * 1024 + 1) + b"\n",
        "quote left open": b'Employee number;E-mail\n1;"' + b"x" * 140_000 + b"\n2;b\n",
        "empty": b"",
    }


def xlsx_part(data: bytes, part: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(part)
