"""Concurrent requests against real servers: gunicorn with four worker processes on a SQLite
file and on a throwaway PostgreSQL cluster. Double clicks, two tabs and racing requests must
give one enrolment, one attempt per submitted form and one completion."""

import json
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.servers import gunicorn, manage, postgres_cluster, site_env
from tests.snapshots import migrated_copy

# Starts gunicorn on a SQLite file and on a throwaway PostgreSQL cluster.
pytestmark = pytest.mark.slow

CSRF = "vaardigconcurrencytestcsrftoken0"  # 32 characters, as Django's cookie holds
RACERS = 8


@contextmanager
def sqlite_file():
    """A SQLite file, migrated: from the test run's kept migrated copy when there is one
    (migrating takes most of a minute)."""
    with tempfile.TemporaryDirectory(prefix="vaardig-sqlite-") as folder:
        path = Path(folder) / "race.sqlite3"
        if (copy := migrated_copy()) is not None:
            shutil.copyfile(copy, path)
        yield f"sqlite:///{path}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request):
    database = sqlite_file() if request.param == "sqlite" else postgres_cluster(migrated=True)
    with database as url:
        env = site_env(url)
        manage("migrate", "--no-input", env=env)  # nothing left to do on a migrated copy
        setup = json.loads(
            manage("shell", "-c", "from tests.lms import concurrency_setup as s; s.main()", env=env)
            .strip()
            .splitlines()[-1]
        )
        with gunicorn(env) as base_url:
            yield base_url, setup, env


def counts(env):
    output = manage(
        "shell", "-c", "from tests.lms import concurrency_setup as s; s.counts()", env=env
    )
    return json.loads(output.strip().splitlines()[-1])


def race(url, session, data):
    """Send the same POST from RACERS threads released at the same moment; ``session`` is one
    session for all of them, or a list with one session per thread."""
    sessions = session if isinstance(session, list) else [session] * RACERS
    barrier = threading.Barrier(len(sessions))
    statuses = []

    def one(session):
        cookies = {"sessionid": session, "csrftoken": CSRF}
        barrier.wait()
        response = requests.post(
            url,
            data={**data, "csrfmiddlewaretoken": CSRF},
            cookies=cookies,
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=one, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_racing_requests_give_one_enrolment_one_attempt_and_one_completion(site):
    base_url, setup, env = site
    session = setup["session"]
    before = counts(env)  # the colleagues' enrolments and attempts are there already

    def new(*keys):
        # Each count is a process of its own (a few seconds): one for all keys asked.
        now = counts(env)
        return tuple(now[key] - before[key] for key in keys)

    starts = race(f"{base_url}/leren/modules/{setup['module']}/start/", session, {})
    assert starts == [302] * RACERS
    assert new("enrolments") == (1,)

    answers = {"attempt": 1, f"question-{setup['question']}": setup["right"]}
    submits = race(f"{base_url}/leren/lessen/{setup['lesson']}/kennischeck/", session, answers)
    assert submits == [302] * RACERS  # the losers are told the answers were already submitted
    assert new("attempts") == (1,)

    reads = race(f"{base_url}/leren/lessen/{setup['lesson']}/gelezen/", session, {})
    assert reads == [302] * RACERS
    assert new("completed", "completions_logged", "certificates") == (1, 1, 1)


def test_completions_at_the_same_moment_get_different_certificate_numbers(site):
    base_url, setup, env = site
    before = counts(env)

    reads = race(f"{base_url}/leren/lessen/{setup['lesson']}/gelezen/", setup["colleagues"], {})

    after = counts(env)
    assert reads == [302] * len(setup["colleagues"])
    new = after["certificates"] - before["certificates"]
    assert new == len(setup["colleagues"])
    numbers = after["certificate_numbers"]
    assert len(set(numbers)) == len(numbers)
