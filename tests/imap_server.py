"""A real IMAP server for tests: Debian's Dovecot, started privately on a free loopback port,
with IMAP over TLS only (a certificate from a certificate authority made for the test, which
the test trusts through SSL_CERT_FILE), one mailbox user with a password, and OAuth2 (XOAUTH2)
sign-in checked against a small token service the test runs, as Microsoft 365's would be.

``unavailable()`` says why it cannot run here (no Dovecot, no openssl); the tests skip with
that reason. scripts/test-services installs dovecot-imapd where the machine allows.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.smtp_sink import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "updates@example.org", "imap-test-password"
CLIENT_ID, CLIENT_SECRET = "tracker-app", "app-secret"


def unavailable() -> str | None:
    if not Path(DOVECOT).exists() or not Path("/usr/lib/dovecot/imap").exists():
        return "Dovecot is not installed (scripts/test-services installs dovecot-imapd)"
    if shutil.which("openssl") is None:
        return "openssl is not installed, so no test certificate can be made"
    return None


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(  # noqa: S603 (fixed arguments)
        [shutil.which("openssl") or "openssl", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=60,
    )


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA, and a certificate it signed for 127.0.0.1 and localhost."""
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=Trust Tracker test CA", "-keyout", "ca.key", "-out", "ca.pem",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign",
        cwd=folder,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", "server.key", "-out", "server.csr", cwd=folder,
    )  # fmt: skip
    (folder / "san.ext").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
    )
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.pem",
        cwd=folder,
    )  # fmt: skip
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


class TokenService:
    """The OAuth2 side: hands out access tokens for the client credentials grant, and
    tells Dovecot (token introspection, RFC 7662) whose a token is."""

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.issued = 0
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path == "/token":
                    if (form.get("client_id"), form.get("client_secret")) != (
                        CLIENT_ID,
                        CLIENT_SECRET,
                    ) or form.get("grant_type") != "client_credentials":
                        return self._answer(401, {"error": "invalid_client"})
                    token = secrets.token_urlsafe(24)
                    service.tokens[token] = USER
                    service.issued += 1
                    return self._answer(200, {"access_token": token, "token_type": "Bearer"})
                user = service.tokens.get(form.get("token", ""))
                return self._answer(200, {"active": user is not None, "username": user or ""})

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> TokenService:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class ImapServer:
    def __init__(self, folder: Path, tokens: TokenService) -> None:
        self.folder, self.tokens, self.port = folder, tokens, free_port()
        self.ca, cert, key = make_certificates(folder)
        self.process: subprocess.Popen | None = None
        (folder / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (folder / "oauth2.conf").write_text(
            f"introspection_mode = post\nintrospection_url = {tokens.url}/introspect\n"
            "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
        )
        user = pwd.getpwuid(os.getuid())
        # As root, Dovecot runs its parts as the users its package made; mail is kept as
        # "mail". Otherwise everything runs as the one user running the tests.
        if os.getuid() == 0:
            internal, login = "dovecot", "dovenull"
            mail = pwd.getpwnam("mail")
            mail_ids = f"uid={mail.pw_uid} gid={mail.pw_gid}"
            first_uid = mail.pw_uid
        else:
            internal = login = user.pw_name
            mail_ids = f"uid={user.pw_uid} gid={user.pw_gid}"
            first_uid = user.pw_uid
        (folder / "mail").mkdir()
        if os.getuid() == 0:
            shutil.chown(folder / "mail", "mail", "mail")
            folder.chmod(0o711)
        (folder / "dovecot.conf").write_text(
            f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {first_uid}
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain xoauth2
mail_location = maildir:{folder}/mail/%u
namespace inbox {{
  inbox = yes
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {folder}/users
  mechanisms = plain
}}
passdb {{
  driver = oauth2
  args = {folder}/oauth2.conf
  mechanisms = xoauth2
}}
userdb {{
  driver = static
  args = {mail_ids} home={folder}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
        )

    def start(self) -> ImapServer:
        with (self.folder / "dovecot.out").open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
                [DOVECOT, "-F", "-c", str(self.folder / "dovecot.conf")],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Dovecot stopped: {self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Dovecot did not start in 20 s: {self.log()}")

    def log(self) -> str:
        return "".join(
            path.read_text(errors="replace")
            for path in (self.folder / "dovecot.out", self.folder / "dovecot.log")
            if path.exists()
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # Dovecot's master stops its own processes.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
