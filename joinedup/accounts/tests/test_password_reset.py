"""Password reset: says nothing about which emails have accounts, and never skips MFA."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail

from joinedup.accounts import services
from joinedup.accounts.tests.factories import PASSWORD
from joinedup.accounts.tests.flows import MFA, PAGE, SIGN_IN, START, code_for, normalised, post_code, post_sign_in
from joinedup.core.actor import SYSTEM
from joinedup.core.tests.helpers import sign_in

pytestmark = pytest.mark.django_db

RESET = "/account/password/reset"
SENT = "/account/password/reset/sent"
DONE = "/account/password/reset/done"
NEW_PASSWORD = "purple elephants dance quietly"
_LINK = re.compile(r"https://testserver(/account/password/reset/[^/\s]+/[^/\s]+)")


def _ask(client, email: str):
    return client.post(RESET, {"email": email})


def _link(message) -> str:
    match = _LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _choose(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    """Open the emailed link and choose a password; returns the response to the choice."""
    opened = client.get(link)
    assert opened.status_code == 302, "the token moves from the URL into the session"
    form_url = opened["Location"]
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": confirm or password})


def test_the_reset_page_is_open_to_everyone(client):
    response = client.get(RESET)
    assert response.status_code == 200
    assert b"Reset your password" in response.content


def test_known_and_unknown_emails_get_the_same_answer(client, user):
    known = _ask(client, user.email)
    unknown = _ask(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == SENT
    assert normalised(client.get(SENT)) == normalised(client.get(SENT))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_only_the_known_email_gets_a_message(client, user):
    _ask(client, "nobody@example.org")
    assert mail.outbox == []
    _ask(client, user.email)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your joinedup password"
    assert user.username in message.body
    assert PASSWORD not in message.body


def test_email_is_matched_whatever_its_case(client, user):
    _ask(client, user.email.upper())
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_a_deactivated_account_gets_no_email_but_the_same_answer(client, user):
    services.user_deactivate(SYSTEM, user=user)
    response = _ask(client, user.email)
    assert response["Location"] == SENT
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "not an email", "a" * 300 + "@example.org", "x@y\x00.org"])
def test_a_malformed_email_gets_a_clear_message(client, partnership, email):
    response = _ask(client, email)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert mail.outbox == []


def test_the_link_sets_a_new_password(client, user):
    _ask(client, user.email)

    response = _choose(client, _link(mail.outbox[0]))

    assert response.status_code == 302
    assert response["Location"] == DONE
    assert b"Your password has been changed" in client.get(DONE).content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.password.startswith("argon2")
    # The reset does not sign anyone in.
    assert SESSION_KEY not in client.session


def test_after_a_reset_the_old_password_fails_and_the_new_one_needs_mfa(client, user, device):
    _ask(client, user.email)
    _choose(client, _link(mail.outbox[0]))

    assert post_sign_in(client, user.username, PASSWORD).status_code == 200
    response = post_sign_in(client, user.username, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == MFA
    assert client.get(PAGE)["Location"] == MFA
    with time_machine.travel(START, tick=False):
        # (A fresh sign-in at the travelled time, then the code.)
        post_sign_in(client, user.username, NEW_PASSWORD)
        assert post_code(client, code_for(device))["Location"] == "/"


def test_the_link_works_once(client, user):
    _ask(client, user.email)
    link = _link(mail.outbox[0])
    _choose(client, link)

    again = client.get(link, follow=True)
    assert again.status_code == 200
    assert b"That link has expired" in again.content


def test_the_link_expires_after_an_hour(client, user):
    with time_machine.travel(START, tick=False) as traveller:
        _ask(client, user.email)
        link = _link(mail.outbox[0])
        traveller.shift(timedelta(minutes=61))
        response = client.get(link, follow=True)
    assert b"That link has expired" in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_tampered_link_does_not_work(client, user):
    _ask(client, user.email)
    link = _link(mail.outbox[0])
    response = client.get(link[:-3] + "xyz", follow=True)
    assert response.status_code == 200
    assert b"That link has expired" in response.content


@pytest.mark.parametrize("path", [f"{RESET}/not-base64/whatever", f"{RESET}/MQ/set-password", f"{RESET}/%00/x"])
def test_nonsense_links_are_not_errors(client, partnership, path):
    response = client.get(path, follow=True)
    assert response.status_code in (200, 404)


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", None, "too short"),
        ("12345678901234", None, "entirely numeric"),
        ("password123456", None, "too common"),
        (NEW_PASSWORD, "something else entirely", "didn"),
        ("", "", "This field is required"),
    ],
)
def test_a_weak_or_mismatched_new_password_is_explained(client, user, password, confirm, message):
    _ask(client, user.email)
    response = _choose(client, _link(mail.outbox[0]), password, confirm)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_reset_ends_sessions_signed_in_elsewhere(client, other_client, user):
    sign_in(other_client, user)
    assert other_client.get(PAGE).status_code == 200

    _ask(client, user.email)
    _choose(client, _link(mail.outbox[0]))

    response = other_client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
