"""Browser-test harness: the real app in a subprocess, Debian's chromium driven by Playwright, axe.

The app runs as `make run` runs it (`manage.py runserver --noreload`), but production-like: DEBUG
and DEMO_MODE off, so sign-in needs MFA and static files come from the collected manifest. It gets
its own SQLite file, migrated and loaded with a small demo partnership. pytest-django's
live_server is not used: it flushes tables between tests, and the audit tables refuse DELETE.

Fixtures (re-exported by joinedup/conftest.py): `app_server` (session), `chromium` (session),
`browsing` (per test: a page in a fresh context, with axe and the off-site / console-error guards)
and `accounts` (signs demo users in, keeping their authenticator keys for the session).
"""

import base64
import hashlib
import hmac
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from joinedup.demo.services import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROJECT_DIR = Path(settings.BASE_DIR)
AXE_JS = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
DEMO_PEOPLE = 60
SERVER_START_TIMEOUT = 30.0
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "")


def totp(key: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA-1) for a base32 key as shown to people (any case, spaces allowed)."""
    secret = key.replace(" ", "").upper()
    raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(raw, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


@dataclass
class AppServer:
    url: str
    host: str
    port: int
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(database: Path, host: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEMO_MODE", "DATABASE_URL", "DEBUG", "HTTPS"}}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",  # an absolute path, so four slashes in all
        DEBUG="false",
        HTTPS="false",  # plain http on 127.0.0.1: no SSL redirect, no secure-only cookies
        SECRET_KEY="browser-tests-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS=host,
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def _wait_for_port(process: subprocess.Popen[bytes], server: AppServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"runserver exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with socket.create_connection((server.host, server.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"runserver did not answer on {server.url} within {SERVER_START_TIMEOUT:.0f}s:\n{server.log_tail()}")


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed: apt-get install chromium")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app under `runserver`, production-like, on a fresh SQLite database with the demo loaded."""
    require_chromium()  # no point building a server that no browser will visit
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        pytest.fail(f"{manifest} is missing: run `manage.py collectstatic --noinput` first (make test does)")
    workdir = tmp_path_factory.mktemp("browser-app")
    host, port = "127.0.0.1", _free_port()
    env = _server_env(workdir / "db.sqlite3", host)
    _manage(env, "migrate", "--noinput")
    _manage(env, "demo", "--people", str(DEMO_PEOPLE))
    server = AppServer(url=f"http://{host}:{port}", host=host, port=port, log=workdir / "runserver.log")
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(process, server)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's chromium under Playwright (never `playwright install`: its downloads fail here)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Browsing:
    """A page in a fresh browser context, and what it did that it should not.

    Guards: requests to any other host, console errors (CSP refusals, failed loads), JavaScript errors.
    """

    page: Any
    origin: str
    off_site: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    checked: int = 0

    def __post_init__(self) -> None:
        self.page.on("request", self._on_request)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.off_site.append(request.url)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def assert_clean(self) -> None:
        where = f"(by {self.page.url})"
        assert not self.off_site, f"requests to other hosts {where}:\n" + "\n".join(self.off_site)
        assert not self.page_errors, f"JavaScript errors {where}:\n" + "\n".join(self.page_errors)
        assert not self.console_errors, f"console errors (CSP refusals, failed loads) {where}:\n" + "\n".join(
            self.console_errors
        )

    def check(self) -> None:
        """The page as it is now: accessible (axe), and nothing off-site, refused or broken so far."""
        self.page.wait_for_load_state("load")
        if SCREENSHOTS:  # BROWSER_SCREENSHOTS=<folder>: keep a full-page picture of every checked page
            self.checked += 1
            name = re.sub(r"[^a-z0-9]+", "-", self.page.title().lower()).strip("-")
            self.page.screenshot(path=Path(SCREENSHOTS) / f"{self.checked:02d}-{name}.png", full_page=True)
        assert_accessible(self.page)
        self.assert_clean()


@contextmanager
def guarded_context(chromium: Any, app_server: AppServer) -> Iterator[Browsing]:
    """A fresh browser context (no cookies) on the app server, guarded; the guards are checked at the end too.

    axe goes in as an init script (run through the DevTools protocol, which the page's CSP does not
    govern), so the site's strict CSP stays enforced and any refusal shows up as a console error.
    `page.add_script_tag` would inject an inline <script> without the nonce, which that CSP blocks;
    the alternative, `bypass_csp=True`, would hide real CSP breakage.
    """
    context = chromium.new_context(base_url=app_server.url, locale="en-GB", timezone_id="Europe/London")
    context.add_init_script(path=str(AXE_JS))
    # Generous: in CI the demo server shares two cores with both engines' test runs.
    context.set_default_timeout(20_000)
    try:
        browsing = Browsing(page=context.new_page(), origin=app_server.url)
        yield browsing
        browsing.assert_clean()
    finally:
        context.close()


@pytest.fixture
def browsing(chromium: Any, app_server: AppServer) -> Iterator[Browsing]:
    with guarded_context(chromium, app_server) as guarded:
        yield guarded


class Accounts:
    """Signs demo users in, setting up their authenticator the first time and keeping its key.

    The keys (and the last code used) live for the whole session, as the app server does: a user
    one journey enrolled signs in with a fresh code in the next.
    """

    def __init__(self, browsing: "Browsing", keys: dict[str, str], used: dict[str, int]) -> None:
        self.browsing, self.keys, self.used = browsing, keys, used

    def _code(self, username: str) -> str:
        step = int(time.time() // 30)
        if self.used.get(username) == step:  # a code is good once: wait for the next one
            time.sleep(30 - time.time() % 30 + 0.5)
            step = int(time.time() // 30)
        self.used[username] = step
        return totp(self.keys[username])

    def sign_in(self, username: str) -> None:
        page = self.browsing.page
        page.goto("/account/sign-in")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/account/mfa"))
        if page.url.endswith("/set-up"):
            self.keys[username] = page.locator("code").inner_text().strip()
            page.get_by_label("Security code").fill(self._code(username))
            page.get_by_role("button", name="Confirm").click()
        else:
            page.locator("input[name=code]").fill(self._code(username))
            page.get_by_role("button", name="Continue").click()
        page.wait_for_url(self.browsing.origin + "/")

    def sign_out(self) -> None:
        page = self.browsing.page
        page.get_by_role("banner").get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/account/signed-out")


_MFA_KEYS: dict[str, str] = {}
_MFA_USED: dict[str, int] = {}


@pytest.fixture
def accounts(browsing: Browsing) -> Accounts:
    return Accounts(browsing, _MFA_KEYS, _MFA_USED)


def assert_accessible(page: Any) -> None:
    """Run axe (WCAG 2.0 A to 2.2 AA) on the page as it is now; fail listing every violation."""
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = results["violations"]
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {page.url} ({page.title()}):"]
        for violation in violations:
            lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})")
            for node in violation["nodes"]:
                summary = (node.get("failureSummary") or "").strip().replace("\n", " / ")
                lines.append(f"    {json.dumps(node['target'])}: {summary}")
        pytest.fail("\n".join(lines))
