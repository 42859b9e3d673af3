"""The HR coverage view (and the other reports over CompetenceStatus) at the size of a town and
of a large city, on SQLite and on PostgreSQL, in one run.

For each database (a temporary SQLite file; a throwaway PostgreSQL cluster) one warm process
creates an organisation of 1,000 employees with ``create_random_data``, times the pages below,
then creates one of 100,000 employees in the same database and times them again. Timed, each
as the median of several interleaved runs:

- the coverage view for the whole organisation and for one unit directly below it (a
  directorate), through the test client as an HR adviser, at the levels the page opens with;
- the bare SQL aggregation each of them needs: the same two GROUP BYs over CompetenceStatus
  (per team, then per unit shown), executed raw through a cursor; and the coverage selector
  on its own, so that the figures show what the page adds to the selector and the selector
  to the SQL;
- the other pages in ``PAGES``: the manager's team view and HR's compliance report (more
  can be added there).

Budget, for the whole organisation at 100,000 employees: at most 1.5 times the bare SQL
aggregation, and at most 10 times the view's own time at 1,000 employees. Both are judged on
PostgreSQL, the database an organisation of that size runs on (SQLite is the embedded default
for a small installation and for development). Each database gets its own verdict lines; the
one for SQLite is reported, not enforced: its aggregation cannot grow less than the number of
statuses it counts (see the README). The figures go to bench/RESULTS.md; the exit status is
non-zero when a budget is exceeded on PostgreSQL.

Run with ``make bench`` (or ``python bench/coverage.py``). ``--sizes 200,2000`` and
``--databases sqlite`` make a quick trial run.
"""

import argparse
import io
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = (1_000, 100_000)
DATABASES = ("sqlite", "postgresql")
BUDGET_DATABASE = "postgresql"
BUDGET_OVER_BARE = 1.5
BUDGET_GROWTH = 10.0
# Runs per page and size: enough for a stable median, few enough that a SQLite aggregation of
# two million statuses (a few seconds each) keeps the whole bench within minutes.
RUNS = {"small": 21, "large": 7}


@dataclass
class Context:
    """What a timed page needs: the organisation and signed-in clients."""

    root: object  # the organisation's root OrgUnit
    unit: object  # a unit directly below the root
    hr: object  # test Client signed in as an HR adviser
    manager: object  # test Client signed in as a team manager


def coverage_org(context: Context):
    return _coverage_page(context, context.root)


def coverage_unit(context: Context):
    return _coverage_page(context, context.unit)


def _coverage_page(context: Context, unit):
    from django.urls import reverse

    return context.hr.get(reverse("competencies_coverage"), {"unit": unit.pk})


def team(context: Context):
    from django.urls import reverse

    return context.manager.get(reverse("lms:team"))


def compliance(context: Context):
    from django.urls import reverse

    return context.hr.get(reverse("lms_compliance"), {"unit": context.root.pk})


# Hooks: every page to time, as (name, callable taking a Context and returning a response).
# A page whose URL does not exist (yet) is left out with a note. The budgets concern
# coverage_org; the others are reported with their growth and query counts.
PAGES: list[tuple[str, Callable[[Context], object]]] = [
    ("coverage_org", coverage_org),
    ("coverage_unit", coverage_unit),
    ("team", team),
    ("compliance", compliance),
]
# Timed besides the pages: the coverage selector alone and the bare SQL it runs.
EXTRA = ["selector_org", "selector_unit", "bare_org", "bare_unit", "floor_org"]
# The levels the coverage page shows when it opens (its form's initial value).
OPENING_LEVELS = 1


def bare_aggregation(unit, levels: int = OPENING_LEVELS) -> list[tuple]:
    """The aggregation the coverage view needs, written out by hand and run through a cursor:
    statuses with a target counted in a unit under ``unit`` (leavers count nowhere), per unit
    and competence, then added up per unit path cut to the deepest level shown."""
    from django.db import connection

    from competencies.models import CompetenceStatus
    from people.models import OrgUnit

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    sql = (
        f"SELECT SUBSTR(o.path, 1, %s), g.competence_id, SUM(g.total), SUM(g.met) "
        f"FROM (SELECT s.coverage_unit_id, s.competence_id, COUNT(*) AS total, "
        f"COUNT(s.competence_id) FILTER (WHERE s.meets_target) AS met "
        f"FROM {table(CompetenceStatus)} s "
        f"WHERE s.target_rank IS NOT NULL AND s.coverage_unit_id IN "
        f"(SELECT id FROM {table(OrgUnit)} WHERE path LIKE %s) "
        f"GROUP BY 1, 2) g "
        f"JOIN {table(OrgUnit)} o ON o.id = g.coverage_unit_id "
        f"GROUP BY 1, 2"
    )
    deepest = (unit.depth + levels) * OrgUnit.steplen
    with connection.cursor() as cursor:
        cursor.execute(sql, [deepest, unit.path + "%"])
        return cursor.fetchall()


def floor_count(unit) -> tuple:
    """The least any count per team and competence has to do: the statuses under ``unit``
    counted per unit and competence, nothing else. What the bare aggregation adds to this
    (the share meeting the target, the sum per unit shown) is small; this part grows with
    the number of statuses on any database. Only the number of groups and statuses comes
    back, so that fetching the groups is not timed."""
    from django.db import connection

    from competencies.models import CompetenceStatus
    from people.models import OrgUnit

    statuses = connection.ops.quote_name(CompetenceStatus._meta.db_table)
    units = connection.ops.quote_name(OrgUnit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), SUM(g.total) FROM (SELECT coverage_unit_id, competence_id, "
            f"COUNT(*) AS total FROM {statuses} "
            f"WHERE target_rank IS NOT NULL AND coverage_unit_id IN "
            f"(SELECT id FROM {units} WHERE path LIKE %s) GROUP BY 1, 2) g",
            [unit.path + "%"],
        )
        return cursor.fetchone()


def child(sizes: list[int]) -> dict:
    """Runs in its own process against DATABASE_URL; returns the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    # The admin's static files are not collected for a bench; whitenoise says so once.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # In production the e-mails about 100,000 new assignments go to the background worker
    # (TASKS in config/settings/production.py); dev settings would send them here and now,
    # for most of an hour. The bench times pages: the tasks are only recorded. It times their
    # rendering, so none is kept (lms/page_cache): a repeated view would be a kept page.
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        CACHES={
            **settings.CACHES,
            "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        },
    ).enable()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from competencies.snapshots import coverage_snapshot_take
    from content.services import site_setup
    from lms.models import AssignmentRule
    from lms.training.assignments import assignments_apply
    from people.models import Employee, OrgUnit
    from people.services import hr_group_setup, organisation_administrator_appoint
    from tests.factories import UserFactory, module_create, two_factor_enable

    call_command("migrate", verbosity=0)
    catalogue = site_setup(site_name="Gemeente Benchstad")
    module = module_create(catalogue, title="Informatiebeveiliging", lessons=1)
    hr_user = UserFactory(email="hr@benchstad.example")
    hr_user.groups.add(hr_group_setup())
    two_factor_enable(hr_user)  # admin rights: the sign-in gate asks for two-factor first
    figures: dict = {"load": _load()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()"
            if connection.vendor == "postgresql"
            else "SELECT 'SQLite ' || sqlite_version()"
        )
        figures["version"] = cursor.fetchone()[0].split(" on ")[0]
    for size in sizes:
        label = "small" if size == min(sizes) else "large"
        name = f"Gemeente {size}"
        started = time.perf_counter()
        call_command("create_random_data", employees=size, organisation=name, stdout=io.StringIO())
        if connection.vendor == "postgresql":
            # After a bulk load autovacuum would vacuum and analyse these tables within a
            # minute; doing it here makes the plans the ones production runs.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        figures[f"generate_{size}_s"] = time.perf_counter() - started
        _log(f"{connection.vendor}: {size} employees in {figures[f'generate_{size}_s']:.0f} s")

        root = OrgUnit.get_root_nodes().get(name=name)
        # The bench's HR adviser administers every organisation it builds, as a shared
        # service would: scoping is measured with more than one organisation.
        organisation_administrator_appoint(user=hr_user, organisation=root, acting_user=None)
        # What the daily round leaves behind in production: everyone's mandatory training
        # (a yearly rule for the whole organisation) and this month's coverage snapshot.
        started = time.perf_counter()
        AssignmentRule.objects.create(
            name=f"Bewustwording {size}", org_unit=root, module=module, repeat_months=12
        )
        assignments_apply(
            employee_ids=list(
                Employee.objects.filter(organisation=root).values_list("pk", flat=True)
            )
        )
        figures[f"assign_{size}_s"] = time.perf_counter() - started
        started = time.perf_counter()
        coverage_snapshot_take()
        figures[f"snapshot_{size}_s"] = time.perf_counter() - started
        _log(
            f"{connection.vendor}: assignments in {figures[f'assign_{size}_s']:.0f} s, "
            f"snapshot in {figures[f'snapshot_{size}_s']:.0f} s"
        )
        manager = (
            Employee.objects.filter(organisation=root, manager__isnull=False, roles__code="MGR")
            .order_by("pk")
            .first()
        )
        context = Context(root=root, unit=root.get_first_child(), hr=Client(), manager=Client())
        context.hr.force_login(hr_user)
        context.manager.force_login(manager.user)

        for unit in (context.root, context.unit):
            _check_bare_is_the_selectors_aggregation(unit)

        timed = _timed(context)
        figures["pages"] = [name_ for name_, _run in timed if name_ not in EXTRA]
        for name_, run in timed:
            run()  # warm: templates, caches, the database's pages
            with CaptureQueriesContext(connection) as queries:
                run()
            figures[f"{name_}_{size}_queries"] = len(queries)
        times: dict[str, list[float]] = {name_: [] for name_, _run in timed}
        for _round in range(RUNS[label]):
            for name_, run in timed:  # interleaved, so that drift hits all alike
                started = time.perf_counter()
                run()
                times[name_].append(time.perf_counter() - started)
        for name_, values in times.items():
            figures[f"{name_}_{size}_ms"] = statistics.median(values) * 1000
        figures[f"runs_{size}"] = RUNS[label]
        _log(
            f"{connection.vendor} {size}: "
            + ", ".join(f"{n} {figures[f'{n}_{size}_ms']:.1f} ms" for n in times)
        )
    figures["load"] += f" {_load()}"
    return figures


def _load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def _check_bare_is_the_selectors_aggregation(unit) -> None:
    """The bare SQL must count what the selector counts: every row, every competence."""
    from competencies.selectors import coverage

    shown = coverage(unit=unit, levels=OPENING_LEVELS)
    groups = bare_aggregation(unit)
    for row in shown.rows:
        for competence, cell in zip(shown.competences, row.cells, strict=True):
            counted = [
                (total, met)
                for path, competence_id, total, met in groups
                if path.startswith(row.unit.path) and competence_id == competence.pk
            ]
            expected = (sum(t for t, _m in counted), sum(m for _t, m in counted))
            if (cell.total, cell.met) != expected:
                raise RuntimeError(f"bare SQL and coverage() differ at {row.unit} {competence}")


def _timed(context: Context) -> list[tuple[str, Callable[[], object]]]:
    """The pages and the bare aggregations, as named callables without arguments."""
    from django.urls import NoReverseMatch

    from competencies.selectors import coverage

    timed = []
    for name, page in PAGES:
        try:
            page(context)
        except NoReverseMatch:
            _log(f"{name}: no URL in this tree, left out")
            continue
        timed.append((name, partial(_page_ok, page, context)))
    # The selector on its own and the bare SQL: what the page adds on top of each.
    timed += [
        ("selector_org", partial(coverage, unit=context.root, levels=OPENING_LEVELS)),
        ("selector_unit", partial(coverage, unit=context.unit, levels=OPENING_LEVELS)),
        ("bare_org", partial(bare_aggregation, context.root)),
        ("bare_unit", partial(bare_aggregation, context.unit)),
        ("floor_org", partial(floor_count, context.root)),
    ]
    return timed


def _page_ok(page, context: Context):
    response = page(context)
    if response.status_code != 200:
        raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return response


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run_child(database_url: str, sizes: list[int]) -> dict:
    with tempfile.TemporaryDirectory(prefix="vaardig-bench-media-") as media:
        result = subprocess.run(
            [sys.executable, __file__, "--child", "--sizes", ",".join(map(str, sizes))],
            env=dict(os.environ, DATABASE_URL=database_url, MEDIA_ROOT=media),
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--databases", default=",".join(DATABASES))
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))
    if options.child:
        print(json.dumps(child(sizes)))
        return 0

    from tests.servers import postgres_cluster

    started = time.perf_counter()
    results = {}
    for database in options.databases.split(","):
        if database == "sqlite":
            with tempfile.TemporaryDirectory(prefix="vaardig-bench-") as folder:
                results[database] = _run_child(f"sqlite:///{folder}/bench.sqlite3", sizes)
        else:
            with postgres_cluster() as url:
                results[database] = _run_child(url, sizes)
    lines, within = _report(results, sizes)
    lines.append(f"coverage_bench_total_s: {time.perf_counter() - started:.0f}")
    print("\n".join(lines))
    if sizes == list(SIZES) and set(results) == set(DATABASES):
        from certificates import _write_results

        _write_results("coverage", lines)
    return 0 if within else 1


def _report(results: dict, sizes: list[int]) -> tuple[list[str], bool]:
    small, large = sizes[0], sizes[-1]
    lines, verdicts = [f"cpus: {os.cpu_count()}"], {}
    for database, figures in results.items():
        pages = figures["pages"]
        measured = [*pages, *EXTRA]
        lines.append(f"{database}_version: {figures['version']}")
        lines.append(f"{database}_load_average_before_after: {figures['load']}")
        for size in sizes:
            lines.append(f"{database}_generate_{size}_s: {figures[f'generate_{size}_s']:.0f}")
            lines.append(f"{database}_assign_{size}_s: {figures[f'assign_{size}_s']:.0f}")
            lines.append(f"{database}_snapshot_{size}_s: {figures[f'snapshot_{size}_s']:.0f}")
            lines.append(f"{database}_runs_{size}: {figures[f'runs_{size}']}")
            lines += [
                f"{database}_{n}_{size}_ms: {figures[f'{n}_{size}_ms']:.1f}" for n in measured
            ]
            lines += [
                f"{database}_{n}_{size}_queries: {figures[f'{n}_{size}_queries']}" for n in pages
            ]
        for name in pages:
            same = figures[f"{name}_{large}_queries"] == figures[f"{name}_{small}_queries"]
            lines.append(f"{database}_{name}_constant_queries: {'yes' if same else 'no'}")
        for name in measured:
            growth = figures[f"{name}_{large}_ms"] / figures[f"{name}_{small}_ms"]
            lines.append(f"{database}_{name}_growth_{large}_over_{small}: {growth:.2f}")
        for scope, first in itertools.product(("org", "unit"), ("coverage", "selector")):
            ratio = figures[f"{first}_{scope}_{large}_ms"] / figures[f"bare_{scope}_{large}_ms"]
            lines.append(f"{database}_{first}_{scope}_over_bare_{large}: {ratio:.2f}")
        over_bare = figures[f"coverage_org_{large}_ms"] / figures[f"bare_org_{large}_ms"]
        growth = figures[f"coverage_org_{large}_ms"] / figures[f"coverage_org_{small}_ms"]
        ok_bare, ok_growth = over_bare <= BUDGET_OVER_BARE, growth <= BUDGET_GROWTH
        lines.append(f"{database}_coverage_org_over_bare_within_budget: {_yes(ok_bare)}")
        lines.append(f"{database}_coverage_org_growth_within_budget: {_yes(ok_growth)}")
        verdicts[database] = ok_bare and ok_growth
    # A trial run without PostgreSQL is judged on what it measured.
    within = verdicts.get(BUDGET_DATABASE, all(verdicts.values()))
    if "postgresql" in results:
        figures = results["postgresql"]
        ratio = figures[f"coverage_org_{large}_ms"] / figures[f"bare_org_{large}_ms"]
        lines.append(f"coverage_ratio: {ratio:.2f}")
    lines.append(f"coverage_budget_over_bare: {BUDGET_OVER_BARE}")
    lines.append(f"coverage_budget_growth: {BUDGET_GROWTH}")
    lines.append(f"coverage_budget_database: {BUDGET_DATABASE}")
    lines.append(f"coverage_within_budget: {_yes(within)}")
    return lines, within


def _yes(value: bool) -> str:
    return "yes" if value else "no"


if __name__ == "__main__":
    sys.exit(main())
