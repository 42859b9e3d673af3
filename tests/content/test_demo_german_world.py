"""The German demo speaks of the German municipal world the issue names: the E-Akte, the DSGVO,
Barrierefreiheit and the BSI's IT-Grundschutz, each in the modules' own words."""

import json
from pathlib import Path

from django.conf import settings

GERMAN = Path(settings.BASE_DIR) / "content" / "demo_modules" / "de"


def test_the_german_demo_names_e_akte_dsgvo_barrierefreiheit_and_it_grundschutz():
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(GERMAN.glob("*.json")))
    for path in GERMAN.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # every file still reads

    for term in ("E-Akte", "DSGVO", "Barrierefreiheit", "IT-Grundschutz des BSI"):
        assert term in text, term
