import openpyxl
from playwright.sync_api import expect

from competencies.models import CompetenceArea
from tests.e2e.conftest import assert_no_axe_violations, log_in

HR = "hr@voorbeeldstad.example"

# Reads the heatmap as a person sees it: per row the unit, per column the competence code,
# and the visible figures of every cell (not the link text meant for screen readers).
READ_HEATMAP = r"""() => {
    const table = document.querySelector("table.coverage");
    const codes = [...table.querySelectorAll("thead tr:nth-child(2) th")].map(th => th.innerText.trim());
    return [...table.querySelectorAll("tbody tr")].map(tr => ({
        unit: tr.querySelector("th").innerText.trim(),
        cells: [...tr.querySelectorAll("td")].map((td, i) => [
            codes[i],
            [...td.querySelectorAll("strong, .coverage__count, .coverage__few, .coverage__none")]
                .map(part => part.innerText.trim()).join("\n"),
        ]),
    }));
}"""


def _as_shown(met, total, share, note):
    """What the page prints for one exported row."""
    if note:
        return "te weinig mensen"
    if not total:
        return "—"
    return f"{share}%\n{met}/{total}"


def test_hr_filters_coverage_exports_it_and_the_spreadsheet_matches_the_page(
    page, demo_site, tmp_path
):
    area = CompetenceArea.objects.get(framework__code="digcomp", code="4")
    log_in(page, HR)
    page.goto("/admin/")
    page.get_by_role("link", name="Dekking").click()
    expect(page.get_by_role("table", name="Dekking van Gemeente Voorbeeldstad")).to_be_visible()
    expect(page.get_by_role("img", name="Gemeente Voorbeeldstad")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Competentiegebied").select_option(str(area.pk))
    page.get_by_label("Niveaus onder het onderdeel").select_option("2")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("table.coverage thead")).to_contain_text(area.title_nl)
    shown = page.evaluate(READ_HEATMAP)

    with page.expect_download() as download:
        page.locator("a[href*='export=xlsx']").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    exported = list(workbook.active.iter_rows(values_only=True))[2:]  # below title and header

    expected = [(row["unit"], code, text) for row in shown for code, text in row["cells"]]
    assert len(expected) == len(exported) > 0
    for (unit, code, text), (path, exported_code, _title, met, total, share, note) in zip(
        expected, exported, strict=True
    ):
        assert path.split("/")[-1] == unit and exported_code == code
        assert _as_shown(met, total, share, note) == text, (unit, code)
    assert {code for _u, code, _t in expected} == {c.code for c in area.competences.all()}
    assert any(text.endswith("%") or "%\n" in text for _u, _c, text in expected)


def test_the_demo_hr_adviser_opens_the_people_behind_a_figure(page, demo_site):
    log_in(page, HR)
    page.goto("/admin/coverage/")

    page.locator("a.coverage__names").first.click()

    expect(page.get_by_role("table")).to_contain_text("Personeelsnummer", ignore_case=True)
    assert page.locator("table tbody tr").count() > 5
    assert_no_axe_violations(page)
