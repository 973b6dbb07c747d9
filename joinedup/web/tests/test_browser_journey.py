"""A practitioner's first day, in a real browser against a real server: sign in, set up MFA, find a
person, read their page, sign out. Every page is checked with axe and makes no off-site requests."""

import re

import pytest

from joinedup.demo.services import DEMO_PASSWORD
from joinedup.web.tests.browser import Browsing, totp

NHS_NUMBER = re.compile(r"\b999 \d{3} \d{4}\b")
FIRST_TIMER = "cmht.practitioner2"


@pytest.mark.browser
def test_practitioner_signs_in_sets_up_mfa_finds_a_person_and_signs_out(browsing: Browsing) -> None:
    page = browsing.page
    heading = lambda name: page.get_by_role("heading", level=1, name=name)  # noqa: E731

    # Anyone not signed in is sent to the sign-in page, which remembers where they were going.
    page.goto("/")
    assert re.search(r"/account/sign-in\?next=/$", page.url), page.url
    assert heading("Sign in to joinedup").is_visible()
    # No web font is fetched from another host (ADR 0003): the text is set in Arial instead.
    font = page.evaluate("getComputedStyle(document.querySelector('main p')).fontFamily")
    assert font.lower().startswith("arial"), f"body text is set in {font!r}, not Arial"
    browsing.check()

    # A user no other journey signs in as: the session's journeys share one server, and an account
    # another journey enrolled would skip the set-up this one proves.
    page.get_by_label("Username").fill(FIRST_TIMER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Outside demo mode every account needs MFA; demo users have no authenticator yet.
    page.wait_for_url("**/account/mfa/set-up")
    assert heading("Set up your authenticator app").is_visible()
    browsing.check()
    key = page.locator("code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), f"not a grouped base32 key: {key!r}"
    page.get_by_label("Security code").fill(totp(key))
    page.get_by_role("button", name="Confirm").click()

    # Home: the practitioner's own work queue, headed with their name.
    page.wait_for_url(browsing.origin + "/")
    assert page.get_by_text("Your authenticator app is set up").is_visible()
    name = page.get_by_role("heading", level=1).inner_text().strip()
    assert name and name != FIRST_TIMER, f"home heading should be the user's name, not {name!r}"
    caseload = page.get_by_role("region", name="Your caseload")
    assert caseload.is_visible()
    people = [text.strip() for text in caseload.get_by_role("listitem").get_by_role("link").all_inner_texts()]
    assert people, "the demo practitioner should have a caseload"
    browsing.check()
    person_name = people[0]
    family_name = person_name.split()[-1]

    # People, from the header navigation; search by the family name of someone on the caseload.
    page.get_by_role("banner").get_by_role("link", name="People", exact=True).click()
    page.wait_for_url("**/people/")
    assert heading("People").is_visible()
    page.get_by_label("Search for a person").fill(family_name)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/people/\?q="))
    results = page.get_by_role("table")
    assert page.get_by_role("heading", level=2, name=re.compile(rf"found for “{re.escape(family_name)}”")).is_visible()
    browsing.check()

    results.get_by_role("link", name=person_name, exact=True).first.click()

    # The person's page: who they are (with a formatted NHS number) and the team around them.
    page.wait_for_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    assert heading(person_name).is_visible()
    assert page.get_by_role("heading", level=2, name="Who they are").is_visible()
    identity = page.get_by_role("region", name="Who they are")
    assert NHS_NUMBER.search(identity.inner_text()), f"no 999 NHS number shown as 3-3-4 in:\n{identity.inner_text()}"
    assert page.get_by_role("heading", level=2, name="Team around the person").is_visible()
    browsing.check()

    # Signing out ends the session: the home page asks for sign-in again.
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/signed-out")
    assert heading("You have signed out").is_visible()
    assert page.get_by_role("link", name="Sign in again").is_visible()
    browsing.check()
    page.goto("/")
    assert "/account/sign-in" in page.url, page.url


def test_totp_helper_matches_rfc_6238() -> None:
    """The helper the journey uses to act as an authenticator app (RFC 6238 appendix B, SHA-1)."""
    key = "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"  # base32 of b"12345678901234567890"
    assert totp(key, at=59, digits=8) == "94287082"
    assert totp(key, at=1111111109, digits=8) == "07081804"
    assert totp(key.lower(), at=1234567890) == "005924"
