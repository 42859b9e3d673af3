"""Where one page's time goes, in-process, with production settings.

The throughput bench (bench/pages.py) says how fast; this says why. It builds the demo in a
SQLite file (kept between runs: ``--db``), then, in one process with production settings
(DEBUG off, the cached template loader, the database cache, no page kept), asks each page
through Django's test client as the demo person who opens it: once to warm what a worker
remembers, then counts its queries, then runs it ``--requests`` times under cProfile and
prints the time per request and the functions that take most of it. A profile's proportions
hold on a busy machine, where wrk's throughput does not.

    python bench/profile_pages.py [--db /tmp/vaardig-profile.sqlite3] [--page lesson] [--top 30]
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGES = [
    "lesson",
    "module",
    "catalogue",
    "home",
    "my_learning",
    "my_skills",
    "my_certificates",
    "team",
    "coverage",
]
# Who opens a page, when not the demo learner (bench/pages.py's PEOPLE).
OPENED_BY = {"team": "manager", "coverage": "hr"}


def environment(db: Path) -> dict:
    folder = db.parent / (db.stem + "-files")
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=os.environ.get("PROFILE_SECRET_KEY") or secrets.token_urlsafe(60),
        DEBUG="false",
        ALLOWED_HOSTS="testserver,127.0.0.1",
        TRUSTED_PROXY_COUNT="0",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"sqlite:///{db}",
        MEDIA_ROOT=str(folder / "media"),
        PRIVATE_ROOT=str(folder / "private"),
        STATIC_ROOT=str(folder / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # The rendering is what is profiled: a repeated view would be a kept page.
        PAGES_KEPT="false",
    )


def profile(options) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from pages import PEOPLE

    from content.models import LessonPage
    from lms.models import Enrolment
    from people.models import User

    learner = User.objects.get(email=PEOPLE["learner"])
    started = Enrolment.objects.filter(learner=learner, completed_at__isnull=True).first()
    lesson = LessonPage.objects.live().descendant_of(started.module).first()
    urls = {
        "lesson": lesson.get_url(),
        "module": lesson.get_parent().get_url(),
        "catalogue": lesson.get_parent().get_parent().get_url(),
        "home": "/",
        "my_learning": reverse("lms:my_learning"),
        "my_skills": reverse("lms:my_skills"),
        "my_certificates": reverse("lms:my_certificates"),
        "team": reverse("lms:team"),
        "coverage": reverse("competencies_coverage"),
    }
    clients = {}
    for who, email in PEOPLE.items():
        clients[who] = Client(HTTP_HOST="127.0.0.1")
        clients[who].force_login(User.objects.get(email=email))
    for name in options.page or PAGES:
        url, client = urls[name], clients[OPENED_BY.get(name, "learner")]
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        queries = []

        def record(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            if options.where and options.where in sql:
                print("   ", sql[:120])
                traceback.print_stack(limit=options.depth)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            client.get(url)
        began = time.process_time()
        for _ in range(options.requests):
            client.get(url)
        plain = (time.process_time() - began) / options.requests * 1000
        profiler = cProfile.Profile()
        began = time.process_time()
        profiler.enable()
        for _ in range(options.requests):
            client.get(url)
        profiler.disable()
        spent = (time.process_time() - began) / options.requests * 1000
        print(
            f"== {name} {url}: {len(queries)} queries, {plain:.1f} ms CPU a request "
            f"({spent:.1f} ms profiled)"
        )
        if options.sql:
            for sql in queries:
                print("   ", sql[:300])
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(options.sort)
        if options.only:
            stats.print_stats(options.only, options.top)
        else:
            stats.print_stats(options.top)
        print(out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/vaardig-profile.sqlite3")
    parser.add_argument("--page", action="append", choices=PAGES)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--only", help="only functions whose file or name matches this")
    parser.add_argument("--where", help="the code that asks a query containing this")
    parser.add_argument("--depth", type=int, default=12)
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    db = Path(options.db)
    if options.inside:
        profile(options)
        return 0
    env = environment(db)
    env["PROFILE_SECRET_KEY"] = env["SECRET_KEY"]
    # Built on the first run; on a later one brought up to date (new migrations, demo data
    # added since): the set-up changes nothing that is there.
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pages.py"), "--setup"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return subprocess.run([sys.executable, __file__, "--inside", *sys.argv[1:]], env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
