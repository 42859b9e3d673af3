"""Imports flow one way: core ← people ← competencies ← content ← lms. A lower app never
imports a higher one, at the top of a module or inside a function; where a lower app must
react to something higher up, the higher app calls it or listens to its signal.

config is the project (settings, URLs, WSGI) and sits above every app: it may import any of
them, and no app imports it. Apps read settings through ``django.conf.settings``; the
environment helpers of ``config.env`` serve the settings modules only, so a value an app
needs from the environment becomes a setting. Migrations are left out: they name other apps
by label, as Django writes them. Imports by string (``apps.get_model``, ``import_module``)
are not seen here. No app breaks the rule today, so there are no exceptions to list."""

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
LAYERS = ["core", "people", "competencies", "content", "lms"]
PROJECT_PACKAGE = "config"


def imported_modules(source: str, package: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line, module) of every import in ``source``, wherever it stands; relative imports are
    resolved against ``package``, the dotted place of the file."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            found.append((node.lineno, module))
    return sorted(found)


def violations(filename: str, source: str) -> list[str]:
    """The imports of a file of one app (``people/roster.py``) that go up the layers or into
    the project package, as "file:line imports module (why)"."""
    parts = Path(filename).with_suffix("").parts
    app, package = parts[0], parts[:-1]
    found = []
    for line, module in imported_modules(source, package):
        top = module.split(".")[0]
        if top == PROJECT_PACKAGE:
            found.append(f"{filename}:{line} imports {module} (no app imports the project)")
        elif top in LAYERS and LAYERS.index(top) > LAYERS.index(app):
            found.append(f"{filename}:{line} imports {module} ({top} is above {app})")
    return found


def test_no_app_imports_a_higher_app_or_the_project():
    found = []
    for app in LAYERS:
        for path in sorted((PROJECT / app).rglob("*.py")):
            filename = path.relative_to(PROJECT).as_posix()
            if "migrations" not in path.relative_to(PROJECT).parts:
                found += violations(filename, path.read_text(encoding="utf-8"))
    assert found == [], "Imports against the layers:\n" + "\n".join(found)


def test_every_app_is_in_the_layers():
    apps = {path.parent.name for path in PROJECT.glob("*/apps.py")}
    assert apps == set(LAYERS)


def test_the_check_finds_upward_imports_inside_functions_too():
    source = (
        "import datetime\n"
        "from people.models import OrgUnit\n"
        "from core.audit import audit_log\n"
        "\n"
        "def remind():\n"
        "    from lms.models import Assignment\n"
        "    import content.blocks\n"
    )

    assert violations("competencies/services.py", source) == [
        "competencies/services.py:6 imports lms.models (lms is above competencies)",
        "competencies/services.py:7 imports content.blocks (content is above competencies)",
    ]
    assert violations("lms/services.py", source) == []


def test_the_check_refuses_the_project_package_in_an_app():
    source = "from config.env import env_str\nfrom config import settings\n"

    assert violations("core/dates.py", source) == [
        "core/dates.py:1 imports config.env (no app imports the project)",
        "core/dates.py:2 imports config (no app imports the project)",
    ]


def test_the_check_resolves_relative_imports_within_the_app():
    source = "from . import models\nfrom ..services import roster_import\n"

    assert violations("people/management/commands/import_roster.py", source) == []
    assert imported_modules(source, ("people", "management", "commands")) == [
        (1, "people.management.commands"),
        (2, "people.management.services"),
    ]
