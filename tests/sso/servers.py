"""Real identity providers for the single sign-on journeys, started on loopback ports:

- the OpenID-certified npm package ``oidc-provider`` (tests/sso/oidc_provider.mjs), from the
  checkout's node_modules (``npm ci``);
- SimpleSAMLphp from Debian, served by PHP's own web server, configured in a temporary folder
  (``SIMPLESAMLPHP_CONFIG_DIR``) with a key pair made here by openssl. Nothing goes to /etc.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from tests.servers import PROJECT, free_port

NODE = shutil.which("node") or "/usr/bin/node"
PHP = shutil.which("php") or "/usr/bin/php"
SIMPLESAMLPHP = Path("/usr/share/simplesamlphp")


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the identity provider stopped:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the identity provider did not start:\n{log.read_text()}")


@contextmanager
def _serve(command: list[str], port: int, folder: Path, env: dict | None = None):
    log = folder / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT, stdout=out, stderr=subprocess.STDOUT, env=env
        )
    try:
        _wait_for(port, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oidc_provider(*, client: dict, accounts: dict):
    """oidc-provider with one client and these accounts (login name: claims); yields its
    issuer URL. Its login form takes any password for a known login name."""
    folder = Path(tempfile.mkdtemp(prefix="vaardig-oidc-"))
    port = free_port()
    config = folder / "config.json"
    config.write_text(json.dumps({"client": client, "accounts": accounts}))
    script = PROJECT / "tests" / "sso" / "oidc_provider.mjs"
    try:
        with _serve([NODE, str(script), str(port), str(config)], port, folder):
            yield f"http://127.0.0.1:{port}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _php(value) -> str:
    """A Python value written as a PHP literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list):
        return "[" + ", ".join(_php(v) for v in value) + "]"
    if isinstance(value, dict):
        return "[" + ", ".join(f"{_php(k)} => {_php(v)}" for k, v in value.items()) + "]"
    raise TypeError(value)


def _php_file(path: Path, variable: str, value) -> None:
    path.write_text(f"<?php\n${variable} = {_php(value)};\n")


def docroot() -> Path:
    # Debian's 1.19 package serves www/; later releases renamed it public/.
    for name in ("public", "www"):
        if (SIMPLESAMLPHP / name / "index.php").exists():
            return SIMPLESAMLPHP / name
    raise RuntimeError("SimpleSAMLphp is not installed (make system-packages)")


@contextmanager
def simplesamlphp(*, sp_entity_id: str, acs_url: str, users: dict):
    """A SAML 2.0 identity provider that signs its assertions, with an exampleauth:UserPass
    source holding ``users`` ({"login:password": {attribute: [values]}}) and Vaardig as its
    one service provider. Yields (entity id, sign-in URL, certificate in PEM)."""
    folder = Path(tempfile.mkdtemp(prefix="vaardig-saml-"))
    folder.chmod(0o755)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    entity_id = f"{base}saml2/idp/metadata.php"
    for sub in ("metadata", "cert", "data", "tmp", "log"):
        (folder / sub).mkdir()
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=Vaardig test IdP",
            "-keyout", str(folder / "cert" / "idp.key"),
            "-out", str(folder / "cert" / "idp.crt"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    _php_file(
        folder / "config.php",
        "config",
        {
            "baseurlpath": base,
            "certdir": f"{folder}/cert/",
            "metadatadir": f"{folder}/metadata/",
            "datadir": f"{folder}/data/",
            "tempdir": f"{folder}/tmp/",
            "loggingdir": f"{folder}/log/",
            "logging.handler": "errorlog",
            "secretsalt": "vaardig-test-salt-not-secret",
            "auth.adminpassword": "vaardig-test-admin",
            "technicalcontact_email": "test@vaardig.example",
            "timezone": "Europe/Amsterdam",
            "enable.saml20-idp": True,
            "store.type": "phpsession",
            "session.phpsession.savepath": f"{folder}/tmp",
            # Plain http on loopback: the cookie could not be secure.
            "session.cookie.secure": False,
            "session.cookie.samesite": "Lax",
            "module.enable": {"exampleauth": True, "core": True, "saml": True},
            "metadata.sources": [{"type": "flatfile"}],
            "language.default": "en",
        },
    )
    # The user list sits beside the source's class name in one PHP array.
    source = (
        "['exampleauth:UserPass', "
        + ", ".join(f"{_php(login)} => {_php(attributes)}" for login, attributes in users.items())
        + "]"
    )
    (folder / "authsources.php").write_text(
        f"<?php\n$config = ['admin' => ['core:AdminPassword'], 'vaardig-users' => {source}];\n"
    )
    _php_file(
        folder / "metadata" / "saml20-idp-hosted.php",
        f"metadata[{_php(entity_id)}]",
        {
            "host": "__DEFAULT__",
            "privatekey": "idp.key",
            "certificate": "idp.crt",
            "auth": "vaardig-users",
            "saml20.sign.assertion": True,
            "attributes.NameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
        },
    )
    _php_file(
        folder / "metadata" / "saml20-sp-remote.php",
        f"metadata[{_php(sp_entity_id)}]",
        {
            "AssertionConsumerService": acs_url,
            "NameIDFormat": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
            "simplesaml.nameidattribute": "uid",
        },
    )
    env = {**os.environ, "SIMPLESAMLPHP_CONFIG_DIR": str(folder)}
    command = [PHP, "-S", f"127.0.0.1:{port}", "-t", str(docroot())]
    try:
        with _serve(command, port, folder, env=env):
            certificate = (folder / "cert" / "idp.crt").read_text()
            yield entity_id, f"{base}saml2/idp/SSOService.php", certificate
    finally:
        shutil.rmtree(folder, ignore_errors=True)
