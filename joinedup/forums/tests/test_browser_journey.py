"""A forum's month, in a real browser against a real server with the demo loaded: the co-occurring
forum's coordinator builds the next meeting's agenda from the two referrals accepted this week (one
of them discussed five months ago, so flagged as a repeat); recovery and housing send their
research; the chair runs the meeting — confidentiality, attendance, the case, a lead agency and
three actions — and publishes the minutes; housing, which owns one action, finds it under "My
actions" and completes it. Every page is checked with axe and makes no off-site requests."""

import re
from datetime import date, timedelta
from typing import Any

import pytest

from joinedup.web.tests.browser import Accounts, Browsing

FORUM = "Northshire Co-occurring Conditions Forum"
COORDINATOR = "cmht.forum-coordinator"
RECOVERY = "recovery.practitioner"
HOUSING = "housing.practitioner"
HOUSING_ACTION = "Agree a repayment plan and pause the notice to quit while treatment starts"


def _heading(page: Any, name: str) -> Any:
    return page.get_by_role("heading", level=1, name=name)


def _to_forum(browsing: Browsing) -> None:
    page = browsing.page
    page.get_by_role("banner").get_by_role("link", name="Forums", exact=True).click()
    page.wait_for_url("**/forums/")
    page.get_by_role("link", name=FORUM).click()
    page.wait_for_url(re.compile(r"/forums/[0-9a-f-]{36}/$"))
    assert _heading(page, FORUM).is_visible()
    browsing.check()


def _next_meeting(browsing: Browsing, link: str) -> None:
    """From the forum page, the first upcoming meeting's page of that name."""
    page = browsing.page
    # The current page is loaded already, so wait for the navigation itself, not a load state.
    with page.expect_navigation():
        page.get_by_role("region", name="Upcoming meetings").get_by_role("link", name=link).first.click()


def _send_research(browsing: Browsing, accounts: Accounts, username: str, texts: tuple[str, str]) -> None:
    page = browsing.page
    accounts.sign_in(username)
    _to_forum(browsing)
    _next_meeting(browsing, "Send your agency's research")
    assert _heading(page, "Research for the meeting").is_visible()
    browsing.check()
    forms = page.locator("form").filter(has=page.get_by_role("button", name="Send research"))
    assert forms.count() == 2, "both listed people should be readable by a member agency"
    for n, text in enumerate(texts):
        form = page.locator("form").filter(has=page.get_by_role("button", name="Send research")).nth(n)
        form.get_by_label("What your agency knows about the person").fill(text)
        form.get_by_label("Risks your agency knows of").fill("Nothing further known")
        with page.expect_navigation():
            form.get_by_role("button", name="Send research").click()
        assert page.get_by_text("Sent", exact=True).count() == n + 1
    browsing.check()
    accounts.sign_out()


def _date_parts(page: Any, prefix: str, day: date) -> None:
    page.locator(f"#{prefix}_day").fill(str(day.day))
    page.locator(f"#{prefix}_month").fill(str(day.month))
    page.locator(f"#{prefix}_year").fill(str(day.year))


@pytest.mark.browser
def test_a_forum_lists_hears_and_follows_up_two_referrals(browsing: Browsing, accounts: Accounts) -> None:
    page = browsing.page

    # The coordinator builds the agenda from the two referrals accepted this week.
    accounts.sign_in(COORDINATOR)
    _to_forum(browsing)
    _next_meeting(browsing, "Build the agenda")
    assert _heading(page, "Agenda").is_visible()
    browsing.check()
    waiting = page.locator(".nhsuk-card").filter(has_text=re.compile(r"referred on .+ by Northshire"))
    assert waiting.count() == 2, waiting.all_inner_texts()
    people = [card.get_by_role("heading").inner_text() for card in waiting.all()]
    for name in people:
        card = page.locator(".nhsuk-card").filter(has=page.get_by_role("heading", name=name, exact=True))
        card.get_by_label("Level of risk").select_option("High")
        with page.expect_navigation():
            card.get_by_role("button", name="Add to agenda").click()
    listed = page.get_by_role("table")
    assert all(listed.get_by_role("cell").filter(has_text=name).first.is_visible() for name in people)
    # The person the forum heard five months ago comes back flagged as a repeat; the other does not.
    rows = [listed.get_by_role("row").filter(has_text=name) for name in people]
    assert sorted("Repeat" in row.inner_text() for row in rows) == [False, True]
    browsing.check()
    accounts.sign_out()

    # Two member agencies send their research before the meeting.
    _send_research(browsing, accounts, RECOVERY, ("Open to recovery since May", "Not known to recovery"))
    _send_research(browsing, accounts, HOUSING, ("Tenancy sustainment visits weekly", "Notice to quit served"))

    # The chair runs the meeting.
    accounts.sign_in(COORDINATOR)
    _to_forum(browsing)
    _next_meeting(browsing, "Read the pack")
    assert page.get_by_text("Open to recovery since May").is_visible()
    assert page.get_by_text("Tenancy sustainment visits weekly").is_visible()
    browsing.check()
    _to_forum(browsing)
    _next_meeting(browsing, "Run the meeting")
    assert _heading(page, "Run the meeting").is_visible()
    run_url = page.url
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("button", name="I have read the statement out").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Record attendance").click()
    assert _heading(page, "Attendance").is_visible()
    browsing.check()
    # Present without a name is refused beside the field, and nothing typed is lost.
    page.locator("select").first.select_option("present")
    page.get_by_label("Add an observer (name and role)").fill("A student social worker, observing")
    with page.expect_navigation():
        page.get_by_role("button", name="Save attendance").click()
    assert page.get_by_role("alert").get_by_text("Enter the name of the person who came").is_visible()
    browsing.check()
    for n, select in enumerate(page.locator("select").all()):
        select.select_option("present")
        page.get_by_label(re.compile("Who came from")).nth(n).fill(f"Representative {n + 1}")
    page.get_by_label("Add an observer (name and role)").fill("A student social worker, observing")
    with page.expect_navigation():
        page.get_by_role("button", name="Save attendance").click()
    page.goto(run_url)
    attendance = page.locator(".nhsuk-task-list__item").filter(has_text="Record attendance")
    assert "Completed" in attendance.inner_text(), attendance.inner_text()

    first = people[0]
    page.get_by_role("link", name=re.compile(re.escape(first))).first.click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}$"))
    assert page.get_by_role("heading", level=1, name=re.compile(re.escape(first))).is_visible()
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start the discussion").click()
    page.get_by_label("What was shared").fill("Recovery and housing both see drinking rise as the notice to quit nears")
    page.get_by_label("Risks identified").fill("Losing the home; drinking alone at night")
    page.get_by_label("Decisions").fill("Recovery leads; housing pauses enforcement while treatment starts")
    with page.expect_navigation():
        page.get_by_role("button", name="Save minutes").click()
    page.get_by_label("Lead agency").select_option(label="Northshire Recovery Partnership")
    page.get_by_label("Why this agency leads").fill("Drinking is the need to meet first; the person trusts her worker")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the lead agency").click()
    assert page.get_by_text(re.compile(r"Northshire Recovery Partnership since")).is_visible()
    due = date.today() + timedelta(days=14)
    for description, owner in (
        ("Book a joint home visit with housing within a week", "Northshire Recovery Partnership"),
        (HOUSING_ACTION, "Northshire Council Housing Options"),
        ("Offer a mental health assessment at the recovery hub", "Northshire Community Mental Health Service"),
    ):
        page.get_by_label("Action", exact=True).fill(description)
        page.get_by_label("Agency that owns it").select_option(label=owner)
        _date_parts(page, "id_due_on", due)
        with page.expect_navigation():
            page.get_by_role("button", name="Add the action").click()
        assert page.get_by_text(description).is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Stop the discussion").click()
    browsing.check()

    page.goto(page.url.split("/cases/")[0] + "/minutes")
    assert _heading(page, "Minutes").is_visible()
    assert page.get_by_text("Recovery leads; housing pauses enforcement while treatment starts").is_visible()
    browsing.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the minutes").click()
    browsing.check()
    accounts.sign_out()

    # Housing finds its action under "My actions" and completes it.
    accounts.sign_in(HOUSING)
    page.get_by_role("banner").get_by_role("link", name="My actions", exact=True).click()
    page.wait_for_url("**/actions/")
    browsing.check()
    page.get_by_role("link", name=HOUSING_ACTION).click()
    page.wait_for_url(re.compile(r"/actions/[0-9a-f-]{36}/$"))
    browsing.check()
    page.get_by_label("What was done?").fill("Repayment plan agreed at £5 a week; notice to quit paused for 8 weeks")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as done").click()
    assert page.get_by_text("Done").first.is_visible()
    browsing.check()
