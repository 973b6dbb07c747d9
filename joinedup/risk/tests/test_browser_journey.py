"""A substance use worker's domestic abuse checklist becomes a risk conference referral without
retyping, in a real browser against a real server with the demo loaded: the recovery practitioner
opens someone on their caseload, answers the checklist (15 "yes"), sees High and the offer, accepts
the pre-filled referral and sends it; the risk conference's coordinator finds it in the inbox the
forum's pathway delivers to. Every page is checked with axe and makes no off-site requests."""

import re
from typing import Any

import pytest

from joinedup.risk.definitions import ItemKind, shipped
from joinedup.web.tests.browser import Accounts, Browsing

RECOVERY = "recovery.practitioner"
COORDINATOR = "police.forum-coordinator"
FORUM = "Northshire Risk Conference"
CHECKLIST = next(t for t in shipped() if t.slug == "domestic_abuse")
QUESTIONS = [i for i in CHECKLIST.items if i.kind == ItemKind.YES_NO]
YES = QUESTIONS[:15]


def _heading(page: Any, name: str) -> Any:
    return page.get_by_role("heading", level=1, name=name)


@pytest.mark.browser
def test_a_high_checklist_becomes_a_pre_filled_risk_conference_referral(browsing: Browsing, accounts: Accounts) -> None:
    page = browsing.page

    accounts.sign_in(RECOVERY)
    caseload = page.get_by_role("region", name="Your caseload")
    person = caseload.get_by_role("listitem").get_by_role("link").first.inner_text().strip()
    caseload.get_by_role("link", name=person, exact=True).click()
    page.wait_for_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    browsing.check()

    page.get_by_role("link", name="Risk assessments and warnings").click()
    page.wait_for_url(re.compile(r"/risk/$"))
    assert _heading(page, "Risk").is_visible()
    browsing.check()
    page.get_by_role("region", name="Complete a risk tool").get_by_role("link", name=CHECKLIST.name).click()
    page.wait_for_url(re.compile(r"/risk/assess/domestic_abuse$"))
    assert _heading(page, CHECKLIST.name).is_visible()
    browsing.check()
    for item in QUESTIONS:
        page.locator(f"input[name={item.key}][value={'yes' if item in YES else 'no'}]").check()
    page.locator("input[name=incidents_12_months]").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the assessment").click()

    page.wait_for_url(re.compile(r"/risk/assessments/[0-9a-f-]{36}/$"))
    assert page.get_by_text("Level: High").is_visible()
    assert page.get_by_role("heading", name="Referral recommended").is_visible()
    browsing.check()
    page.get_by_role("button", name=f"Refer to the {FORUM}").click()

    # The referral wizard, filled in from the assessment: nothing to retype, everything to check.
    page.wait_for_url(re.compile(r"/refer/details$"))
    assert _heading(page, "Referral details").is_visible()
    reason = page.get_by_label("Why are you referring?").input_value()
    assert "score 15" in reason and "High risk" in reason
    assert all(item.summary in reason for item in YES), reason
    assert "Incidents in the last 12 months: 1" in reason
    assert "Level: High" in page.get_by_label("Risks", exact=True).input_value()
    attachment = page.locator("input[name=attachments]:checked")
    assert attachment.count() == 1
    browsing.check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/refer/check$"))
    assert page.get_by_text("Threats to kill").first.is_visible()
    browsing.check()
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    assert page.get_by_text("Your referral has been sent to Northshire Police").is_visible()
    browsing.check()
    accounts.sign_out()

    # The forum's coordinator: the referral waits in the police inbox the forum's pathway delivers to.
    accounts.sign_in(COORDINATOR)
    page.get_by_role("banner").get_by_role("link", name="Referrals", exact=True).click()
    page.wait_for_url("**/referrals/**")
    assert _heading(page, "Referral inbox").is_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=person, exact=True)).first
    assert row.get_by_text(f"Refer to the {FORUM}").is_visible(), row.inner_text()
    browsing.check()
    row.get_by_role("link", name=person, exact=True).click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    assert page.get_by_text("Threats to kill").first.is_visible()
    browsing.check()
