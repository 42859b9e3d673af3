"""Certificate rendering against a bare WeasyPrint page, in one warm process.

Renders the real certificate (tagged PDF/UA, embedded subset fonts, logo, QR code) 50 times
and a bare one-page document (a heading and a sentence) 50 times, interleaved, and reports
the ratio of the medians. Budget: at most 4.

Run with ``make bench`` (or ``python bench/certificates.py``); it uses a throwaway SQLite
database and writes its figures to bench/RESULTS.md.
"""

import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET = 4.0
RUNS = 50


def main() -> int:
    folder = tempfile.mkdtemp(prefix="vaardig-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    os.environ["PRIVATE_ROOT"] = f"{folder}/private"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.files.images import ImageFile
    from django.core.management import call_command
    from PIL import Image as PILImage
    from wagtail.images import get_image_model
    from weasyprint import HTML

    from content.branding import OrganisationBranding
    from content.services import site_setup
    from lms.certificates.services import certificate_pdf
    from lms.models import Certificate
    from people.models import OrgUnit

    call_command("migrate", verbosity=0)
    site_setup(site_name="Gemeente Benchstad")
    buffer = io.BytesIO()
    PILImage.new("RGB", (600, 200), "#14497a").save(buffer, format="PNG")
    logo = get_image_model()(title="Logo")
    logo.file = ImageFile(buffer, name="logo.png")
    logo.save()
    organisation = OrgUnit.add_root(name="Gemeente Benchstad")
    OrganisationBranding.objects.create(
        organisation=organisation,
        organisation_name="Gemeente Benchstad",
        logo=logo,
        signatory_name="Mr. drs. J. de Vries",
        signatory_title="Gemeentesecretaris",
    )
    certificate = Certificate(
        scope=str(organisation.pk),
        number="2026-000123",
        public_id="Y3VyaW91cy1iZW5jaC1wdWJsaWMtaWQtZm9yLXRlc3Q",
        language="nl",
        holder_name="Anne-Marie van 't Veld",
        module_title="Werken met persoonsgegevens onder de AVG",
        organisation_name="Gemeente Benchstad",
        completed_on=datetime.date(2026, 11, 24),
        competences=[
            {"code": "4.2", "title": "Persoonsgegevens en privacy beschermen", "level": 5},
            {"code": "DW1.2", "title": "Informatiebeheer, Woo en Archiefwet", "level": 4},
        ],
        valid_until=datetime.date(2028, 11, 24),
    )
    bare_html = (
        "<!DOCTYPE html><html lang='nl'><body><h1>Certificaat</h1><p>Een zin.</p></body></html>"
    )

    def bare():
        return HTML(string=bare_html).write_pdf()

    # Warm both paths: fonts, stylesheet and templates are loaded once per process.
    certificate_pdf(certificate)
    bare()
    real_times, bare_times, size = [], [], 0
    for _run in range(RUNS):
        started = time.perf_counter()
        size = len(certificate_pdf(certificate))
        real_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - started)
    real, plain = statistics.median(real_times), statistics.median(bare_times)
    ratio = real / plain
    lines = [
        f"certificate_median_ms: {real * 1000:.1f}",
        f"bare_page_median_ms: {plain * 1000:.1f}",
        f"certificate_ratio: {ratio:.2f}",
        f"certificate_budget: {BUDGET}",
        f"certificate_pdf_bytes: {size}",
        f"certificate_within_budget: {'yes' if ratio <= BUDGET else 'no'}",
    ]
    print("\n".join(lines))
    _write_results("certificates", lines)
    return 0 if ratio <= BUDGET else 1


def _write_results(section: str, lines: list[str]) -> None:
    """Replace this benchmark's section of bench/RESULTS.md, keeping the others."""
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    start, end = f"<!-- {section} -->", f"<!-- /{section} -->"
    block = (
        f"{start}\n## {section} ({datetime.date.today().isoformat()})\n\n"
        + "\n".join(f"    {line}" for line in lines)
        + f"\n{end}"
    )
    if start in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
