"""The roster import at the size of a federal state's administration: a complete list of
100,000 employees (1,110 units, managers, roles) imported into an empty organisation, then the
same file imported again, on SQLite and on PostgreSQL, in one run.

For each database (a temporary SQLite file; a throwaway PostgreSQL cluster) one process loads
the frameworks and role profiles, writes the file, and times ``roster_import`` as the command
line runs it:

- ``first``: the file into an empty database (everyone new, every unit new, confirmed);
- ``again``: the unchanged file once more (nothing to write).

What follows from an import (competence statuses, mandatory-training assignments) goes through
``employees_changed``; for a large import those are queued as background tasks, so the bench
runs with a backend that keeps tasks queued and reports how many were queued. The query count
of each import is recorded: it must not grow with the number of rows.

Budgets, on both databases: the first import within 60 s; the unchanged file within 50 % of
the first import's time. The figures go to bench/RESULTS.md; the exit status is non-zero when
a budget is missed.

Run with ``make bench`` (or ``python bench/roster.py``); ``--rows 5000 --databases sqlite``
makes a quick trial run (not written to RESULTS.md).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = 100_000
DATABASES = ("sqlite", "postgresql")
BUDGET_FIRST_S = 60.0
BUDGET_AGAIN_SHARE = 0.5
ORGANISATION = "Gemeente Benchstad"
HEADER = (
    "Personeelsnummer;E-mail;Voornaam;Achternaam;Afdeling;Rollen;Leidinggevende;Datum in dienst"
)
ROLES = ("KCC", "POL", "CASE", "ICT", "HR")


def roster_file(rows: int) -> bytes:
    """A complete list: 10 directorates of 10 departments of 10 teams; the first person of a
    team manages the others."""
    lines = [HEADER]
    teams = [
        f"{ORGANISATION}/Directie {d}/Afdeling {d}.{a}/Team {d}.{a}.{t}"
        for d in range(1, 11)
        for a in range(1, 11)
        for t in range(1, 11)
    ]
    per_team = -(-rows // len(teams))
    for n in range(rows):
        team, place = divmod(n, per_team)
        number = 100_000 + n
        manager = "" if place == 0 else str(100_000 + team * per_team)
        role = "MGR" if place == 0 else ROLES[n % len(ROLES)]
        lines.append(
            f"{number};p{number}@benchstad.example;Persoon;{number};{teams[team]};"
            f"{role}|ALL;{manager};1-{1 + n % 12}-2020"
        )
    return ("\n".join(lines) + "\n").encode()


def child(rows: int, profile: bool = False) -> dict:
    """Runs in its own process against DATABASE_URL; returns the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.test.utils import override_settings

    # Queued, not run: what a large import leaves for the worker is counted, not timed.
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ).enable()

    from django.core.management import call_command
    from django.db import connection
    from django_tasks import default_task_backend

    from competencies.loaders import frameworks_load, roles_load
    from people.models import Employee
    from people.roster import COMPLETE, roster_import

    call_command("migrate", verbosity=0)
    frameworks_load()
    roles_load()
    data = roster_file(rows)
    figures: dict = {"file_bytes": len(data)}

    for label in ("first", "again"):
        default_task_backend.clear()
        started = time.perf_counter()
        queries = []

        def count(execute, *args, queries=queries):
            queries.append(1)
            return execute(*args)

        with connection.execute_wrapper(count):
            if profile:
                import cProfile

                profiler = cProfile.Profile()
                result = profiler.runcall(
                    roster_import,
                    data=data,
                    kind=COMPLETE,
                    acting_user=None,
                    confirm_new_units=True,
                )
                profiler.dump_stats(f"/tmp/roster-{label}.prof")
            else:
                result = roster_import(
                    data=data, kind=COMPLETE, acting_user=None, confirm_new_units=True
                )
        figures[f"{label}_s"] = time.perf_counter() - started
        figures[f"{label}_queries"] = len(queries)
        figures[f"{label}_tasks_queued"] = len(default_task_backend.results)
        figures[f"{label}_created"] = result.created
        figures[f"{label}_unchanged"] = result.unchanged
        print(f"{connection.vendor}: {label} import {figures[f'{label}_s']:.1f} s", file=sys.stderr)
        if label == "first" and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # what autovacuum does within a minute
    figures["employees"] = Employee.objects.filter(is_active=True).count()
    assert figures["first_created"] == rows == figures["employees"], figures
    assert figures["again_unchanged"] == rows, figures
    return figures


def _run_child(database_url: str, rows: int) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", "--rows", str(rows)],
        env=dict(os.environ, DATABASE_URL=database_url),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--databases", default=",".join(DATABASES))
    parser.add_argument("--profile", action="store_true", help="child only: cProfile to /tmp")
    options = parser.parse_args()
    if options.child:
        print(json.dumps(child(options.rows, options.profile)))
        return 0

    from tests.servers import postgres_cluster

    results = {}
    load_before = "/".join(f"{value:.1f}" for value in os.getloadavg())
    for database in options.databases.split(","):
        if database == "sqlite":
            with tempfile.TemporaryDirectory(prefix="vaardig-bench-") as folder:
                results[database] = _run_child(f"sqlite:///{folder}/bench.sqlite3", options.rows)
        else:
            with postgres_cluster() as url:
                results[database] = _run_child(url, options.rows)

    load_after = "/".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"cpus: {os.cpu_count()}",
        # The machine is shared: a load far above the number of cpus slows every figure.
        f"load_average_before_after: {load_before} {load_after}",
        f"roster_rows: {options.rows}",
    ]
    within = True
    for database, figures in results.items():
        first, again = figures["first_s"], figures["again_s"]
        ok_first = first <= BUDGET_FIRST_S
        ok_again = again <= BUDGET_AGAIN_SHARE * first
        within &= ok_first and ok_again
        lines += [
            f"{database}_roster_first_s: {first:.1f}",
            f"{database}_roster_first_over_budget: {first / BUDGET_FIRST_S:.2f}",
            f"{database}_roster_first_queries: {figures['first_queries']}",
            f"{database}_roster_first_tasks_queued: {figures['first_tasks_queued']}",
            f"{database}_roster_again_s: {again:.1f}",
            f"{database}_roster_again_over_first: {again / first:.2f}",
            f"{database}_roster_again_queries: {figures['again_queries']}",
            f"{database}_roster_again_tasks_queued: {figures['again_tasks_queued']}",
            f"{database}_roster_first_within_budget: {'yes' if ok_first else 'no'}",
            f"{database}_roster_again_within_budget: {'yes' if ok_again else 'no'}",
        ]
    lines += [
        f"roster_budget_first_s: {BUDGET_FIRST_S:.0f}",
        f"roster_budget_again_over_first: {BUDGET_AGAIN_SHARE}",
        f"roster_within_budget: {'yes' if within else 'no'}",
    ]
    print("\n".join(lines))
    if options.rows == ROWS and set(results) == set(DATABASES):
        from certificates import _write_results

        _write_results("roster", lines)
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
