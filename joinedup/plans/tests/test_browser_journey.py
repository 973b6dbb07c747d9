"""Two practitioners co-edit a care plan in real browsers against the demo: the CMHT practitioner and
the housing practitioner both open the edit form of the demo's joint care plan; the CMHT saves
first; housing's save gets the conflict page with their own words kept beside the CMHT's, merges
them and saves; the history shows both saves, the comparison shows the words added, and the
person's PDF copy renders. Every page is checked with axe and makes no off-site requests."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from joinedup.demo.plans_story import TITLE
from joinedup.web.tests.browser import _MFA_KEYS, _MFA_USED, Accounts, AppServer, Browsing, guarded_context

MENTAL_HEALTH = "cmht.practitioner"
HOUSING = "housing.practitioner"
THEIRS = "Keeping my flat. Sleeping properly again. Seeing my nephew at weekends. Getting back on my bike."
YOURS = "Keeping my flat, with the arrears sorted. Sleeping properly again. Seeing my nephew at weekends."
MERGED = (
    "Keeping my flat, with the arrears sorted. Sleeping properly again. Seeing my nephew at weekends. "
    "Getting back on my bike."
)


@pytest.fixture
def second(chromium: Any, app_server: AppServer) -> Iterator[Browsing]:
    """A second person at a second computer: another fresh context with the same guards."""
    with guarded_context(chromium, app_server) as guarded:
        yield guarded


def _open_edit_form(browsing: Browsing) -> None:
    page = browsing.page
    page.get_by_role("banner").get_by_role("link", name="Plans", exact=True).click()
    page.wait_for_url("**/plans/")
    browsing.check()
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/plans/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
    browsing.check()
    page.get_by_role("link", name="Edit the plan").click()
    page.wait_for_url("**/edit")
    browsing.check()


@pytest.mark.browser
def test_two_agencies_co_edit_a_care_plan_and_nothing_is_lost(
    browsing: Browsing, accounts: Accounts, second: Browsing
) -> None:
    mental_health, housing = browsing, second
    accounts.sign_in(MENTAL_HEALTH)
    Accounts(housing, _MFA_KEYS, _MFA_USED).sign_in(HOUSING)
    _open_edit_form(mental_health)
    _open_edit_form(housing)

    # The CMHT saves first.
    mental_health.page.get_by_label("What matters to them").fill(THEIRS)
    mental_health.page.get_by_role("button", name="Save the plan").click()
    mental_health.page.wait_for_url(re.compile(r"/plans/[0-9a-f-]{36}/$"))
    assert mental_health.page.get_by_text("The plan has been saved").is_visible()
    mental_health.check()

    # Housing saves over the version it opened: the conflict page, with nothing lost.
    page = housing.page
    page.get_by_label("What matters to them").fill(YOURS)
    with page.expect_navigation():  # the conflict page is the answer to the POST, at the same address
        page.get_by_role("button", name="Save the plan").click()
    assert page.get_by_role("heading", level=1, name="Someone else changed this plan").is_visible()
    assert page.locator(".conflict-theirs").inner_text().strip() == THEIRS
    assert page.locator(".conflict-yours").inner_text().strip() == YOURS
    assert page.get_by_label("What matters to them").input_value() == YOURS
    assert MENTAL_HEALTH in page.locator(".nhsuk-error-summary").inner_text()
    housing.check()

    # Housing merges the two and saves against the new version.
    page.get_by_label("What matters to them").fill(MERGED)
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(re.compile(r"/plans/[0-9a-f-]{36}/$"))
    assert page.get_by_text(MERGED).is_visible()
    plan_url = page.url
    housing.check()

    # The history has both saves; the comparison shows what housing added.
    page.get_by_role("link", name="History of the plan").click()
    page.wait_for_url("**/history")
    rows = page.locator("tbody tr")
    assert "Housing Options" in rows.nth(0).inner_text()
    assert "Community Mental Health" in rows.nth(1).inner_text()
    housing.check()
    with page.expect_navigation():
        page.locator("tbody tr").nth(0).get_by_role("link").click()
    assert "with the arrears sorted" in " ".join(page.locator("ins").all_inner_texts())
    housing.check()

    # The person's copy is a PDF.
    page.goto(plan_url)
    href = page.locator("#person-copy").get_attribute("href")
    fetched = page.evaluate(
        """async (url) => {
            const response = await fetch(url);
            const bytes = new Uint8Array(await response.arrayBuffer());
            return {type: response.headers.get("content-type"), start: String.fromCharCode(...bytes.slice(0, 4))};
        }""",
        href,
    )
    assert fetched == {"type": "application/pdf", "start": "%PDF"}
    housing.check()
