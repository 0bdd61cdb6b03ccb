"""A real browser (headless Chromium through Playwright) reports a case and finds it in the list.

Also saves two screenshots for a human look at the layout: var/screenshots/case-phone.png (390x844) and
var/screenshots/report-desktop.png.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from icmc.demo.world import build_world
from tests.conftest import PASSWORD
from tests.security.mfa import totp_code

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (make browser-deps)"),
]


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()
            # Inside sync_playwright the ORM runs in another context and opens its own database connection;
            # close it here, or PostgreSQL cannot drop the test database at the end of the run.
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_case_manager_reports_a_case_and_finds_it_in_the_list(live_server, browser_page):
    build_world(password=PASSWORD)
    page = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.get_by_label("Username").fill("cm.meghalaya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Enter your code").wait_for()  # the second factor (demo TOTP key)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="My cases").wait_for()

    page.get_by_role("link", name="Report a case").click()
    page.get_by_role("heading", name="Report a case").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "report-desktop.png"), full_page=True)
    page.locator("#id_reporter_type").select_option("family")
    page.locator("#id_summary").fill("A girl left with a man who promised work in a hotel in the city.")
    page.get_by_label("Sexual exploitation").check()
    page.locator("#id_source_jurisdiction").select_option("IN-ML-EAST-KHASI-HILLS")
    page.locator("#id_destination_jurisdiction").select_option("IN-AS-KAMRUP-METROPOLITAN")
    page.locator("#id_source_ahtu").select_option(label="AHTU East Khasi Hills")
    page.locator("#id_survivors-0-name").fill("Browser Testsurvivor")
    page.locator("#id_survivors-0-gender").select_option("Feminine")
    page.locator("#id_survivors-0-estimated_age").fill("16")
    page.get_by_role("button", name="Report the case").click()

    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    match = re.search(r"ML-\d{4}-\d{5}", heading.inner_text())
    assert match, "the case page names the new case's reference"
    reference = match.group(0)
    assert page.get_by_text(f"Case {reference} reported.").is_visible()
    assert page.get_by_text("minor", exact=True).first.is_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "case-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="All cases").click()
    page.get_by_role("heading", name="All cases").wait_for()
    assert page.get_by_role("link", name=reference).is_visible()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("heading", name=f"Case {reference}").wait_for()
