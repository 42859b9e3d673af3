import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(
    ".venv", ".git", "media", "staticfiles", "*.sqlite3*", "__pycache__", "node_modules"
)


def test_the_dutch_and_german_catalogues_cover_every_string(tmp_path):
    """Extract the strings of a copy of the project afresh: nothing may be untranslated or
    fuzzy in nl and de."""
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy, ignore=SKIP)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "nl",
            "-l",
            "de",
            "--no-obsolete",
            "--settings=config.settings.test",
            "-v0",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for language in ("nl", "de"):
        catalogue = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        for flag in ("--untranslated", "--only-fuzzy"):
            result = subprocess.run(
                ["msgattrib", flag, "--no-wrap", str(catalogue)],
                capture_output=True,
                text=True,
                check=True,
            )
            entries = [line for line in result.stdout.splitlines() if line.startswith("msgid ")]
            assert entries in ([], ['msgid ""']), f"{language} {flag}: {entries}"
