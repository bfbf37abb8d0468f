"""A person's view: vote in Chromium, watch the results page change by itself."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.conftest import Services

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def test_vote_in_the_browser_updates_the_open_results_page(
    browser: Browser, services: Services
) -> None:
    result_url, _ = services.start("result_web")
    vote_url, _ = services.start("vote_web", RESULT_URL=result_url)
    services.start("tasks", ready_path="/health", WORKER_CONCURRENCY="1")
    results_page = browser.new_page()
    vote_page = browser.new_page()
    errors: list[str] = []
    for page in (results_page, vote_page):
        page.on("pageerror", lambda error: errors.append(str(error)))

    results_page.goto(result_url)
    expect(results_page.locator("#connection")).to_have_class("connection live")
    cats = results_page.locator('[data-option="cats"] .count')
    expect(cats).to_have_text("0")

    vote_page.goto(vote_url)
    expect(vote_page).to_have_title("Voting App")
    vote_page.get_by_role("button", name="Cats").click()
    expect(vote_page.locator("#status")).to_have_text("Thank you for voting for cats!")
    expect(vote_page.get_by_role("button", name="Cats")).to_have_attribute(
        "aria-pressed", "true"
    )

    expect(cats).to_have_text("1", timeout=15_000)
    expect(results_page.locator("#total")).to_have_text("1")
    expect(results_page.locator('[data-option="cats"] .percent')).to_have_text("100%")
    assert errors == []
