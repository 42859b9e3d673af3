"""Page throughput against Django's hello-world, in one run.

Two gunicorn servers with 2 workers each run side by side: Vaardig with production settings
over the demo data (a throwaway SQLite file, the database cache, collected static files), and
Django's hello-world (bench/hello.py). wrk loads them with 16 connections, alternating: the
hello-world, then each page, for several rounds. Each page's figure is the median of its
rounds divided by the median of the hello-world's rounds, so the noise of a shared machine
falls on both sides alike.

Pages, each as the demo person who opens it (a signed-in session made by the bench):

- the learner's lesson page, Mijn leren, Mijn vaardigheden, the catalogue and the home page:
  budget at least 10 % of hello-world each;
- Mijn team as the manager and the HR coverage page at demo size: at least 5 %.

Pages are kept per session while nothing on them changes (lms/page_cache), so wrk's
requests, which repeat one person's view, are served kept pages. A second Vaardig server over
the same data renders every page anew (PAGES_KEPT=false): each page is measured there too
(``..._rendered``), as a first view or a view after something on it changed is served. The
budgets are judged on the kept pages, production's default; both figures are recorded.

wrk sends the session's cookies as a browser does: the session and its CSRF secret.

Every response must be a 200: a page that fails fast would look fast. The figures go to
bench/RESULTS.md; the exit status is non-zero when a budget is missed.

Run with ``make bench`` (or ``python bench/pages.py``); ``--quick`` makes a short trial run
(one short round, not written to RESULTS.md).
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CONNECTIONS = 16
THREADS = 2
WORKERS = 2
ROUNDS, SECONDS = 3, 5
# (name, who opens it, budget as a share of hello-world)
LEARNER_BUDGET, OVERVIEW_BUDGET = 0.10, 0.05
PAGES = [
    ("lesson", "learner", LEARNER_BUDGET),
    ("my_learning", "learner", LEARNER_BUDGET),
    ("my_skills", "learner", LEARNER_BUDGET),
    ("catalogue", "learner", LEARNER_BUDGET),
    ("home", "learner", LEARNER_BUDGET),
    ("team", "manager", OVERVIEW_BUDGET),
    ("coverage", "hr", OVERVIEW_BUDGET),
]
PEOPLE = {
    "learner": "medewerker@voorbeeldstad.example",
    "manager": "leidinggevende@voorbeeldstad.example",
    "hr": "hr@voorbeeldstad.example",
}


def setup() -> dict:
    """In the child process with production settings: the demo, a session per person and
    the addresses of the pages. Printed as JSON."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.urls import reverse

    from content.models import LessonPage
    from lms.models import Enrolment
    from people.models import User

    for command, options in (
        ("migrate", {}),
        ("createcachetable", {}),
        ("collectstatic", {"interactive": False}),
        ("load_demo_data", {}),
    ):
        call_command(command, verbosity=0, **options)
    sessions = {}
    for who, email in PEOPLE.items():
        user = User.objects.get(email=email)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "people.backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions[who] = session.session_key
    learner = User.objects.get(email=PEOPLE["learner"])
    started = Enrolment.objects.filter(learner=learner, completed_at__isnull=True).first()
    module = started.module if started else None
    lesson = (
        LessonPage.objects.live().descendant_of(module).first()
        if module
        else LessonPage.objects.live().first()
    )
    urls = {
        "lesson": lesson.get_url(),
        "my_learning": reverse("lms:my_learning"),
        "my_skills": reverse("lms:my_skills"),
        "catalogue": lesson.get_parent().get_parent().get_url(),
        "home": "/",
        "team": reverse("lms:team"),
        "coverage": reverse("competencies_coverage"),
    }
    # The CSRF secret a browser would hold for each session (Django's cookie: 32 letters
    # and digits).
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    secrets_ = {who: "".join(secrets.choice(alphabet) for _ in range(32)) for who in PEOPLE}
    return {"sessions": sessions, "urls": urls, "csrf_secrets": secrets_}


def _gunicorn(app: str, env: dict, cwd: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--no-control-socket",  # two servers side by side
        ],
        cwd=cwd,
        env=env,
    )


def _wait(base: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base, timeout=2)
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer: the server is up
                return
            time.sleep(0.3)
    raise RuntimeError(f"{base} did not start")


def wrk(url: str, seconds: int, cookie: str | None = None) -> float:
    """Requests per second; refuses a run with any answer other than 200."""
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"{url} did not answer 200 throughout:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _first_status(url: str, cookie: str) -> int:
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(urllib.request.Request(url, headers={"Cookie": cookie})).status
    except urllib.error.HTTPError as error:
        return error.code


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="one short round, not recorded")
    options = parser.parse_args()
    if options.setup:
        print(json.dumps(setup()))
        return 0
    if shutil.which("wrk") is None:
        print("wrk is missing: `make system-packages` installs it", file=sys.stderr)
        return 2
    rounds, seconds = (1, 5) if options.quick else (ROUNDS, SECONDS)

    folder = Path(tempfile.mkdtemp(prefix="vaardig-bench-pages-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        TRUSTED_PROXY_COUNT="0",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        MEDIA_ROOT=str(folder / "media"),
        PRIVATE_ROOT=str(folder / "private"),
        STATIC_ROOT=str(folder / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    started = time.perf_counter()
    prepared = subprocess.run(
        [sys.executable, __file__, "--setup"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if prepared.returncode != 0:
        print(prepared.stderr, file=sys.stderr)
        return 1
    plan = json.loads(prepared.stdout.strip().splitlines()[-1])
    from tests.servers import free_port

    site_port, rendered_port, hello_port = free_port(), free_port(), free_port()
    site = _gunicorn("config.wsgi", env, ROOT, site_port)
    rendering = _gunicorn("config.wsgi", dict(env, PAGES_KEPT="false"), ROOT, rendered_port)
    hello_env = dict(os.environ, DJANGO_SETTINGS_MODULE="hello")
    hello = _gunicorn(
        "django.core.wsgi:get_wsgi_application()", hello_env, ROOT / "bench", hello_port
    )
    site_base, hello_base = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{hello_port}/"
    rendered_base = f"http://127.0.0.1:{rendered_port}"
    # (name, address, who): every page a second time, from the server that renders.
    loads = [(name, site_base + plan["urls"][name], who) for name, who, _ in PAGES]
    loads += [
        (f"{name}_rendered", rendered_base + plan["urls"][name], who) for name, who, _ in PAGES
    ]
    try:
        _wait(site_base + "/"), _wait(rendered_base + "/"), _wait(hello_base)
        cookies = {
            who: f"sessionid={key}; csrftoken={plan['csrf_secrets'][who]}"
            for who, key in plan["sessions"].items()
        }
        for name, url, who in loads:
            status = _first_status(url, cookies[who])
            if status != 200:
                raise RuntimeError(f"{name} ({url}) answers {status}, not 200")
        # Warm all: templates, the first queries, the caches every worker fills once.
        wrk(hello_base, 1)
        for _name, url, who in loads:
            wrk(url, 1, cookies[who])
        rates = {"hello": [], **{name: [] for name, _, _ in loads}}
        for _ in range(rounds):
            for name, url, who in loads:
                rates["hello"].append(wrk(hello_base, seconds))
                rates[name].append(wrk(url, seconds, cookies[who]))
    finally:
        for process in (site, rendering, hello):
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)

    hello_rate = statistics.median(rates["hello"])
    lines = [
        f"cpus: {os.cpu_count()}",
        f"load_average_after: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}",
        f"gunicorn_workers: {WORKERS}",
        f"wrk_connections: {CONNECTIONS}",
        f"rounds: {rounds} x {seconds} s",
        f"hello_world_requests_per_s: {hello_rate:.0f}",
    ]
    within = True
    for name, _, budget in PAGES:
        rate = statistics.median(rates[name])
        share = rate / hello_rate
        within &= share >= budget
        lines += [
            f"{name}_requests_per_s: {rate:.0f}",
            f"{name}_over_hello_world: {share:.3f}",
            f"{name}_within_budget: {'yes' if share >= budget else 'no'} (at least {budget:.2f})",
        ]
    for name, _, _ in loads[len(PAGES) :]:
        rate = statistics.median(rates[name])
        lines += [
            f"{name}_requests_per_s: {rate:.0f}",
            f"{name}_over_hello_world: {rate / hello_rate:.3f}",
        ]
    lines.append(f"pages_within_budget: {'yes' if within else 'no'}")
    lines.append(f"pages_bench_total_s: {time.perf_counter() - started:.0f}")
    print("\n".join(lines))
    if not options.quick:
        from certificates import _write_results

        _write_results("pages", lines)
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
