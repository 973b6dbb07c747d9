"""MFA is required for every account outside the demo: no page or API before the code."""

import pytest
import time_machine
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import mfa
from joinedup.accounts.tests.flows import (
    AGENCIES_API,
    MFA,
    MFA_SETUP,
    SIGN_IN,
    START,
    code_for,
    post_code,
    post_sign_in,
    wrong_code_for,
)
from joinedup.audit.models import ChangeEvent

pytestmark = pytest.mark.django_db


def _problem(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 401
    assert body["title"]
    assert body["detail"]
    return body


@pytest.mark.parametrize("path", ["/", "/people/", "/agencies/"])
def test_password_alone_reaches_no_page(client, user, device, path):
    post_sign_in(client, user.username)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == MFA


@pytest.mark.parametrize("path", ["/", "/people/"])
def test_password_alone_without_an_authenticator_reaches_no_page(client, user, path):
    post_sign_in(client, user.username)
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == MFA_SETUP
    assert b"Set up your authenticator app" in response.content


def test_password_alone_reaches_no_api(client, user, device):
    post_sign_in(client, user.username)
    _problem(client.get(AGENCIES_API))


def test_password_alone_cannot_keep_the_session_alive(client, user, device):
    post_sign_in(client, user.username)
    response = client.post("/account/session/keep-alive")
    assert response.status_code == 302
    assert response["Location"] == MFA


def test_api_without_sign_in_is_a_401_problem(client, partnership):
    body = _problem(client.get(AGENCIES_API))
    assert body["type"] == "about:blank"


@time_machine.travel(START, tick=False)
def test_api_works_after_mfa(client, user, device):
    post_sign_in(client, user.username)
    post_code(client, code_for(device))
    response = client.get(AGENCIES_API)
    assert response.status_code == 200


def test_set_up_page_shows_a_qr_code_and_the_key(client, user):
    post_sign_in(client, user.username)
    response = client.get(MFA_SETUP)

    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    text = response.content.decode()
    assert "<svg" in text
    assert "QR code for your authenticator app" in text
    key = mfa.secret_for_display(device)
    assert key in text
    assert len(key.replace(" ", "")) == 32  # 20 random bytes in base32


def test_set_up_keeps_the_same_pending_key_between_visits(client, user):
    post_sign_in(client, user.username)
    client.get(MFA_SETUP)
    client.get(MFA_SETUP)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_the_qr_code_names_the_issuer_and_user(user):
    device = mfa.pending_device(user)
    assert device.config_url.startswith("otpauth://totp/")
    assert "issuer=joinedup" in device.config_url
    assert user.username in device.config_url


@time_machine.travel(START, tick=False)
def test_confirming_with_the_right_code_enrols_and_is_audited(client, user):
    post_sign_in(client, user.username, next_url="/agencies/")
    client.get(MFA_SETUP)
    device = TOTPDevice.objects.get(user=user)

    response = post_code(client, code_for(device), path=MFA_SETUP)

    assert response.status_code == 302
    assert response["Location"] == "/agencies/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    event = ChangeEvent.objects.get(action="mfa_enrol")
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)
    assert event.actor_user_id == user.pk
    assert event.after == {"device": device.name, "confirmed": True}
    # No secret leaks into the audit trail.
    assert device.key not in str(event.before) + str(event.after)
    home = client.get("/")
    assert home.status_code == 200
    assert b"Your authenticator app is set up" in home.content


@time_machine.travel(START, tick=False)
def test_confirming_with_a_wrong_code_changes_nothing(client, user):
    post_sign_in(client, user.username)
    client.get(MFA_SETUP)
    device = TOTPDevice.objects.get(user=user)

    response = post_code(client, wrong_code_for(device), path=MFA_SETUP)

    assert response.status_code == 200
    assert b"That code is not right" in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert not ChangeEvent.objects.filter(action="mfa_enrol").exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/")["Location"] == MFA


@pytest.mark.parametrize("data", [{"code": "abcdef"}, {"code": ""}, {}])
def test_set_up_with_a_malformed_code_gets_a_clear_message(client, user, data):
    post_sign_in(client, user.username)
    response = client.post(MFA_SETUP, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter the 6-digit code" in text or "This field is required" in text
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.parametrize("data", [{"code": "abcdef"}, {"code": ""}, {}])
def test_challenge_with_a_malformed_code_gets_a_clear_message(client, user, device, data):
    post_sign_in(client, user.username)
    response = client.post(MFA, data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_enrolment_uses_the_newest_pending_key_and_removes_the_rest(client, user):
    older = TOTPDevice.objects.create(user=user, name="First attempt", confirmed=False)
    newer = TOTPDevice.objects.create(user=user, name="Second attempt", confirmed=False)
    with time_machine.travel(START, tick=False):
        post_sign_in(client, user.username)
        page = client.get(MFA_SETUP)
        assert mfa.secret_for_display(newer) in page.content.decode()
        post_code(client, code_for(newer), path=MFA_SETUP)
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(newer.pk, True)]
    assert not TOTPDevice.objects.filter(pk=older.pk).exists()


def test_a_code_from_an_abandoned_key_does_not_enrol(client, user):
    older = TOTPDevice.objects.create(user=user, name="First attempt", confirmed=False)
    TOTPDevice.objects.create(user=user, name="Second attempt", confirmed=False)
    with time_machine.travel(START, tick=False):
        post_sign_in(client, user.username)
        response = post_code(client, code_for(older), path=MFA_SETUP)
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_set_up_is_refused_once_an_authenticator_is_confirmed(client, user, device):
    # Someone with only the password must not be able to enrol a second authenticator.
    post_sign_in(client, user.username)
    response = client.get(MFA_SETUP)
    assert response.status_code == 302
    assert response["Location"] == MFA
    response = client.post(MFA_SETUP, {"code": "123456"})
    assert response["Location"] == MFA
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_set_up_needs_a_password_first(client, partnership):
    response = client.get(MFA_SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
    assert not TOTPDevice.objects.exists()


@time_machine.travel(START, tick=False)
def test_the_mfa_page_sends_a_verified_session_home(client, user, device):
    post_sign_in(client, user.username)
    post_code(client, code_for(device))
    response = client.get(MFA)
    assert response["Location"] == "/"


def test_guessing_codes_is_throttled(client, user, device):
    with time_machine.travel(START, tick=False):
        post_sign_in(client, user.username)
        for _ in range(3):
            post_code(client, wrong_code_for(device))
        # Straight after three wrong guesses even the right code is refused for a while.
        refused = post_code(client, code_for(device))
    assert refused.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


class TestDemoMode:
    def test_mfa_is_required_outside_the_demo(self):
        assert mfa.required()

    def test_demo_mode_needs_no_mfa(self, demo_mode, client, user):
        assert not mfa.required()
        response = post_sign_in(client, user.username)
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert client.get("/").status_code == 200
        assert client.get("/people/").status_code == 200
        assert client.get(AGENCIES_API).status_code == 200

    def test_demo_mode_keeps_next(self, demo_mode, client, user):
        response = post_sign_in(client, user.username, next_url="/agencies/")
        assert response["Location"] == "/agencies/"
