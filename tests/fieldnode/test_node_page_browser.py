"""A real browser on a field node: a note added offline shows as waiting on the node's sync page; "Sync now"
without network says so and keeps it; with the upstream back it is sent and the page says what happened.
The upstream is a stub transport here (the real-process tests run a real one)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from icmc.demo.world import build_world, system_actor
from icmc.fieldnode import config, session
from icmc.sync.actions import do_register_node
from tests.conftest import PASSWORD
from tests.factories import report_case
from tests.security.mfa import totp_code

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (make browser-deps)"),
]


class StubUpstream:
    """Answers push (every mutation applied) and feed (nothing new); `online = False` drops the network."""

    def __init__(self) -> None:
        self.online = False
        self.pushed: list[int] = []

    def __call__(self, *, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> Any:
        if not self.online:
            raise OSError("network unreachable")
        if method == "POST":
            mutations = json.loads(body)["mutations"]
            self.pushed += [m["seq"] for m in mutations]
            return 200, {"results": [{"seq": m["seq"], "status": "applied", "object": {}} for m in mutations]}
        return 200, {"cursor": "c1", "changes": [], "has_more": False}


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_node_page_shows_pending_and_syncs_now(live_server: Any, browser_page: Any, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    world = build_world(password=PASSWORD)
    monkeypatch.setattr(settings, "ICMC_NODE_MODE", "field")
    monkeypatch.setattr(settings, "ICMC_NODE_FILE", tmp_path / "node.json")
    monkeypatch.setattr(settings, "ICMC_NODE_KEY_FILE", tmp_path / "node_key")
    node, key = do_register_node(actor=system_actor(), name="EKH kit", kind="field",
                                 users=[world.users["cm.meghalaya"]])
    config.save_identity(node_id=str(node.id), name="EKH kit", upstream_url="https://centre.example/api/v1/sync")
    config.save_private_key(key)
    stub = StubUpstream()
    monkeypatch.setattr(session, "http_transport", lambda **_kwargs: stub)
    case = report_case(world)

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("cm.meghalaya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="My cases").wait_for()

    page.goto(f"{live_server.url}/cases/{case.id}/")
    page.locator("textarea[name=body]").fill("Met the family at the border post.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Note added.").wait_for()

    page.get_by_role("link", name="Sync").click()
    page.get_by_role("heading", name="Sync with the centre").wait_for()
    assert page.locator("#pending-count").inner_text() == "1"
    assert page.locator("#last-sync").inner_text() == "never"
    assert page.locator("tr.outbox-row").count() == 1

    page.get_by_role("button", name="Sync now").click()  # no network
    page.get_by_text("Nothing is lost").wait_for()
    assert page.locator("#pending-count").inner_text() == "1"

    stub.online = True
    page.get_by_role("button", name="Sync now").click()
    page.get_by_text("Done in").wait_for()
    assert page.locator("#pending-count").inner_text() == "0"
    assert page.locator("#last-sync").inner_text() != "never"
    assert stub.pushed == [1]
    screenshots = Path(settings.BASE_DIR) / "var" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "node-sync.png"), full_page=True)
