"""No wrong door, in a real browser against a real server: a police officer on a Community Triage
call refers two people; the crisis hub accepts the first and records the warm handover, and
declines the second with an onward route to a voluntary-sector service found in the directory; the
officer then sees where both referrals got to. Every page is checked with axe and makes no
off-site requests."""

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from joinedup.core.clock import LONDON
from joinedup.web.tests.browser import Accounts, AppServer, Browsing, _manage, _server_env

POLICE = "police.practitioner"
CRISIS = "crisis.crisis-worker"
CRISIS_HUB = "Northshire Mental Health Unscheduled Care"
PEER_SERVICE = "Peer support after a crisis"
# One voluntary-sector service in HSDS 3 form, loaded as any partnership would load its directory.
DIRECTORY = {
    "id": "5f0d6c0e-7f0b-4a55-9a3e-1c6f3f7c9b01",
    "name": "Harbour Peer Support Network",
    "description": "A voluntary-sector network of peer supporters with lived experience of mental distress.",
    "services": [
        {
            "id": "5f0d6c0e-7f0b-4a55-9a3e-1c6f3f7c9b02",
            "name": PEER_SERVICE,
            "description": "Peer support groups and one-to-one peer support for adults after a mental health crisis.",
            "status": "active",
        }
    ],
}


def _load_directory(server: AppServer, folder: Path) -> None:
    """The service into the running server's database (its SQLite file sits beside its log)."""
    path = folder / "directory.json"
    path.write_text(json.dumps(DIRECTORY))
    _manage(_server_env(server.log.parent / "db.sqlite3", server.host), "hsds_import", str(path))


def _heading(page: Any, name: str) -> Any:
    return page.get_by_role("heading", level=1, name=name)


def _refer(browsing: Browsing, person: str, *, reason: str) -> None:
    """From the person's page, through Community Triage, to a sent referral."""
    page = browsing.page
    page.get_by_role("link", name=f"Refer {person}").click()
    page.wait_for_url(re.compile(r"/refer$"))
    assert _heading(page, "Choose where to refer").is_visible()
    browsing.check()
    page.get_by_label(f"Community Triage ({CRISIS_HUB})").check()
    # Each pathway says who it is for and what the referral must say.
    assert page.get_by_text("Where the person is now").first.is_visible()  # (in the hint)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/refer/details$"))
    assert _heading(page, "Referral details").is_visible()
    browsing.check()
    page.get_by_label("Urgent: a decision within 4 hours").check()
    page.get_by_label("Why are you referring?").fill(reason)
    page.get_by_label("What matters to the person? (optional)").fill("Not to be taken to the emergency department")
    page.get_by_label("Risks", exact=True).fill("Talked of ending her life tonight; no weapons; sister on her way")
    page.get_by_label("To protect the person's vital interests (emergency)").check()
    page.get_by_label("If without consent: why sharing is justified").fill("Immediate risk to life on a triage call")
    attachable = page.locator("input[name=attachments]")
    if attachable.count():
        attachable.first.check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/refer/check$"))
    assert _heading(page, "Check your answers before sending the referral").is_visible()
    assert page.get_by_text(reason).is_visible()
    browsing.check()
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    assert page.get_by_text(f"Your referral has been sent to {CRISIS_HUB}").is_visible()
    assert _heading(page, f"Referral to {CRISIS_HUB}").is_visible()
    browsing.check()


def _open_from_inbox(browsing: Browsing, person: str) -> None:
    page = browsing.page
    page.get_by_role("banner").get_by_role("link", name="Referrals", exact=True).click()
    page.wait_for_url("**/referrals/")
    assert _heading(page, "Referral inbox").is_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=person, exact=True)).first
    assert row.get_by_text("Community Triage").is_visible()
    assert re.search(r"Due in \d+ (hours?|minutes)", row.inner_text()), row.inner_text()
    browsing.check()
    row.get_by_role("link", name=person, exact=True).click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    assert _heading(page, "Referral from Northshire Police").is_visible()
    browsing.check()


@pytest.mark.browser
def test_police_refer_the_crisis_hub_accepts_with_a_warm_handover_and_declines_onwards(
    browsing: Browsing, accounts: Accounts, app_server: AppServer, tmp_path: Path
) -> None:
    _load_directory(app_server, tmp_path)
    page = browsing.page

    # A police officer, on a Community Triage call, refers two people from their caseload.
    accounts.sign_in(POLICE)
    caseload = page.get_by_role("region", name="Your caseload")
    people = [t.strip() for t in caseload.get_by_role("listitem").get_by_role("link").all_inner_texts()]
    assert len(people) >= 2, "the demo police officer should have at least two people on their caseload"
    first, second = people[0], people[1]
    for person, reason in (
        (first, "Found on the bridge in distress; spoke to the triage nurse, who asked for this referral"),
        (second, "Distressed at home after an argument; the triage nurse asked for this referral"),
    ):
        caseload = page.get_by_role("region", name="Your caseload")
        caseload.get_by_role("link", name=person, exact=True).click()
        page.wait_for_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
        browsing.check()
        _refer(browsing, person, reason=reason)
        page.goto("/")
    accounts.sign_out()

    # The crisis hub: both wait in the team's inbox, with their response clocks.
    accounts.sign_in(CRISIS)
    panel = page.get_by_role("region", name="Your team's referral inbox")
    assert panel.get_by_role("link", name=first, exact=True).is_visible()
    assert panel.get_by_role("link", name=second, exact=True).is_visible()
    browsing.check()

    # The first is accepted, and the warm handover recorded.
    _open_from_inbox(browsing, first)
    with page.expect_navigation():
        page.get_by_role("button", name="Accept the referral").click()
    assert page.get_by_text("You have accepted the referral").is_visible()
    browsing.check()
    page.get_by_role("link", name="Record the warm handover").click()
    page.wait_for_url(re.compile(r"/handover$"))
    assert _heading(page, "Record the warm handover").is_visible()
    browsing.check()
    now = datetime.now(LONDON)
    page.locator("#id_handover_on_day").fill(str(now.day))
    page.locator("#id_handover_on_month").fill(str(now.month))
    page.locator("#id_handover_on_year").fill(str(now.year))
    page.get_by_label("Time").fill(f"{now:%H:%M}")
    page.get_by_label("Phone call").check()
    page.get_by_label("Yes, the person took part").check()
    page.get_by_label("What was agreed (optional)").fill("Home treatment team visit tonight; officer stays until then")
    page.get_by_role("button", name="Record the handover").click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    assert page.get_by_text("The warm handover has been recorded").is_visible()
    assert page.get_by_role("heading", level=2, name="Warm handover").is_visible()
    browsing.check()

    # The second is declined, with an onward route to a voluntary-sector service from the directory.
    _open_from_inbox(browsing, second)
    page.get_by_role("link", name="Decline, with an onward route").click()
    page.wait_for_url(re.compile(r"/decline$"))
    browsing.check()
    page.get_by_label("Why is your service not the right one?").fill("Not in crisis now; wants someone to talk to")
    # Declining without an onward route is refused, with a clear message.
    with page.expect_navigation():
        page.get_by_role("button", name="Decline the referral").click()
    summary = page.get_by_role("alert")
    assert summary.get_by_text("Choose an onward route").is_visible()
    browsing.check()
    page.get_by_label("Signpost the person to a service in the directory").check()
    page.get_by_label("What does the person need?").fill("peer support")
    with page.expect_navigation():
        page.get_by_role("button", name="Search the directory").click()
    service = page.get_by_label(f"{PEER_SERVICE} ({DIRECTORY['name']})")
    assert service.is_visible()
    browsing.check()
    service.check()
    page.get_by_label("Why does this route suit the person?").fill("Peers who have been there, this week")
    page.get_by_label("The person has been told where to go").check()
    page.get_by_role("button", name="Decline the referral").click()
    page.wait_for_url("**/referrals/")
    assert page.get_by_text(f"signposted the person to {PEER_SERVICE}").is_visible()
    browsing.check()
    accounts.sign_out()

    # The officer sees where each referral got to, without the crisis hub's records.
    accounts.sign_in(POLICE)
    page.goto("/referrals/sent")
    assert _heading(page, "Referrals we sent").is_visible()
    handed_over = page.get_by_role("row").filter(has=page.get_by_role("link", name=first, exact=True)).first
    declined = page.get_by_role("row").filter(has=page.get_by_role("link", name=second, exact=True)).first
    assert "First contact made" in handed_over.inner_text()
    assert "Declined" in declined.inner_text() and "signposted the person" in declined.inner_text()
    browsing.check()
