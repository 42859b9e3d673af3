"""Real servers for tests that need them: a throwaway PostgreSQL cluster and a gunicorn
serving the project with several worker processes."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root; as root, run the cluster as Debian's postgres user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _pg_ctl(data: Path, *args: str, **run) -> None:
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), *args]), **run)


def _cluster_start(base: Path, data: Path) -> str:
    """Start the cluster in ``data``, its socket in ``base``; return its DATABASE_URL."""
    port = free_port()
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = str(base / "log")
    _pg_ctl(data, "-o", options, "-l", log, "-w", "start", check=True, capture_output=True)
    return f"postgres://vaardig@127.0.0.1:{port}/vaardig"


def _cluster_made(base: Path) -> Path:
    """A new cluster in ``base/data`` with the database vaardig, not running."""
    base.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data, run = base / "data", {"check": True, "capture_output": True}
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "vaardig", "--auth=trust"]
    subprocess.run(_as_postgres(initdb), **run)
    url = _cluster_start(base, data)
    try:
        port = url.rsplit(":", 1)[1].split("/")[0]
        createdb = [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", port, "-U", "vaardig"]
        subprocess.run([*createdb, "vaardig"], **run)
    finally:
        _pg_ctl(data, "-m", "fast", "stop", capture_output=True)
    return data


def _cluster_migrated(folder: Path) -> None:
    """Build a cluster whose database vaardig is migrated, stopped, in ``folder/data``."""
    data = _cluster_made(folder)
    url = _cluster_start(folder, data)
    try:
        manage("migrate", "--no-input", env=site_env(url))
    finally:
        _pg_ctl(data, "-m", "fast", "stop", capture_output=True)
    (folder / "log").unlink(missing_ok=True)


@contextmanager
def postgres_cluster(migrated: bool = False):
    """Start a PostgreSQL cluster in a temporary folder; yield its DATABASE_URL. With
    ``migrated``, its database is migrated: a copy of a cluster kept for the tree's migrations
    (tests/snapshots.py, ``kept``), since migrating takes most of a minute."""
    folder = Path(tempfile.mkdtemp(prefix="vaardig-pg-"))
    folder.chmod(0o755)
    base = folder / "cluster"
    if migrated:
        from tests.snapshots import kept, migrations_digest

        original = kept("postgres", migrations_digest("postgresql"), _cluster_migrated)
        # cp -a keeps the owner (Debian's postgres user when the tests run as root).
        subprocess.run(["cp", "-a", str(original), str(base)], check=True)
        data = base / "data"
    else:
        base.mkdir()
        data = _cluster_made(base)
    try:
        yield _cluster_start(base, data)
    finally:
        _pg_ctl(data, "-m", "immediate", "stop", capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def site_env(database_url: str) -> dict:
    """The environment of a site process (manage.py, gunicorn) with development settings on
    ``database_url``, without the test run's Django settings."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        # What the site mails stays in its process, not in the project's sent-mail/.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


@contextmanager
def gunicorn(env: dict, workers: int = 4):
    """Serve the project with gunicorn worker processes; yield the base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
