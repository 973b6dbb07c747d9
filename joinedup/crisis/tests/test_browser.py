"""A crisis worker's shift in a real browser: the board (refreshed by htmx under the strict CSP), log
an unidentified caller, record the response, triage, close. Every page is checked with axe."""

import re

import pytest

from joinedup.web.tests.browser import Accounts, Browsing


@pytest.mark.browser
def test_crisis_worker_logs_triages_and_closes_a_contact_from_the_board(browsing: Browsing, accounts: Accounts) -> None:
    page = browsing.page
    accounts.sign_in("crisis.crisis-worker")

    # Home is the board's work queue; the board itself is in the navigation.
    assert page.get_by_role("region", name="Open crisis contacts").is_visible()
    browsing.check()
    page.get_by_role("banner").get_by_role("link", name="Crisis board").click()
    page.wait_for_url("**/crisis/")
    page.wait_for_function("() => window.htmx !== undefined")  # htmx from our own static files, under the CSP
    browsing.check()

    page.get_by_role("button", name="Log a contact", exact=True).first.click()  # a link styled as a button
    page.wait_for_url("**/crisis/contacts/new")
    browsing.check()
    page.get_by_label("Police").check()
    page.get_by_label("What does the person need help with?").fill("Officers with a man on the bridge")
    page.get_by_label("Describe the caller").fill("Man, 50s, on the river bridge")
    page.get_by_role("button", name="Log contact").click()
    page.wait_for_url(re.compile(r"/crisis/contacts/[0-9a-f-]+/$"))
    assert page.get_by_text("Not identified yet: Man, 50s, on the river bridge").is_visible()
    browsing.check()
    contact_url = page.url

    # The page posts back to its own address, so wait for the navigation rather than the URL.
    with page.expect_navigation():
        page.get_by_role("button", name="Record the first response now").click()
    assert page.get_by_text("Responded in").first.is_visible()

    # The board, refreshed by htmx in place, shows the contact.
    page.goto("/crisis/")
    with page.expect_response(re.compile(r"/crisis/board/rows$")):
        page.evaluate("() => htmx.ajax('GET', '/crisis/board/rows', '#crisis-board')")
    board = page.locator("#crisis-board")
    board.get_by_text("Man, 50s, on the river bridge").wait_for()
    browsing.check()

    page.goto(contact_url + "close")
    with page.expect_navigation():
        page.get_by_role("button", name="Close contact").click()
    assert page.get_by_text("Choose the triage outcome before you close the contact").first.is_visible()
    browsing.check()
    page.get_by_label("Community triage advice to police or ambulance").check()
    page.get_by_role("button", name="Close contact").click()
    page.wait_for_url("**/crisis/")
    assert page.get_by_text("The contact has been closed and has left the board").is_visible()
    assert page.locator("#crisis-board").get_by_text("Man, 50s, on the river bridge").count() == 0
    browsing.check()
