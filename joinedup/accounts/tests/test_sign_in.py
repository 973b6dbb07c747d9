"""Signing in: password, then the security code; nothing reveals whether an account exists."""

import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import make_password
from django_otp import DEVICE_ID_SESSION_KEY

from joinedup.accounts import services
from joinedup.accounts.models import User, UserSession
from joinedup.accounts.tests.factories import PASSWORD, UserFactory
from joinedup.accounts.tests.flows import (
    MFA,
    MFA_SETUP,
    PAGE,
    SIGN_IN,
    SIGN_OUT,
    START,
    code_for,
    normalised,
    post_code,
    post_sign_in,
    sign_in_with_mfa,
    wrong_code_for,
)
from joinedup.accounts.tests.hashers import QuickPBKDF2PasswordHasher
from joinedup.core.actor import SYSTEM
from joinedup.core.tests.helpers import sign_in

pytestmark = pytest.mark.django_db

BAD_CREDENTIALS = "Enter a correct username and password"


def test_sign_in_page_renders(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert b"Sign in to joinedup" in response.content


def test_wrong_password_and_unknown_username_look_identical(client, user):
    wrong_password = post_sign_in(client, user.username, "not the password at all")
    unknown_user = post_sign_in(client, "nobody.here", "not the password at all")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert BAD_CREDENTIALS.encode() in wrong_password.content
    # The only difference allowed is the username echoed back into its own box.
    assert normalised(wrong_password, user.username) == normalised(unknown_user, "nobody.here")
    assert SESSION_KEY not in client.session


def test_deactivated_account_with_right_password_looks_like_a_wrong_password(client, user):
    services.user_deactivate(SYSTEM, user=user)
    deactivated = post_sign_in(client, user.username, PASSWORD)
    unknown_user = post_sign_in(client, "nobody.here", PASSWORD)

    assert deactivated.status_code == 200
    assert normalised(deactivated, user.username) == normalised(unknown_user, "nobody.here")
    assert SESSION_KEY not in client.session


def test_right_password_without_an_authenticator_goes_to_set_up(client, user):
    response = post_sign_in(client, user.username)

    assert response.status_code == 302
    assert response["Location"] == MFA
    assert client.get(MFA)["Location"] == MFA_SETUP
    # Signed in (and tracked, so it can be ended) but not yet past MFA.
    assert client.session[SESSION_KEY] == str(user.pk)
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert UserSession.objects.filter(user=user, session_key=client.session.session_key).exists()


def test_right_password_with_an_authenticator_asks_for_the_code(client, user, device):
    response = post_sign_in(client, user.username)

    assert response["Location"] == MFA
    challenge = client.get(MFA)
    assert challenge.status_code == 200
    assert b"Enter your security code" in challenge.content


@time_machine.travel(START, tick=False)
def test_wrong_code_is_refused_beside_the_field(client, user, device):
    post_sign_in(client, user.username)
    response = post_code(client, wrong_code_for(device))

    assert response.status_code == 200
    text = response.content.decode()
    message = "That code is not right. Check your authenticator app and try again"
    assert "There is a problem" in text  # the error summary ...
    assert 'href="#id_code"' in text  # ... linking to the field ...
    assert f'<span class="nhsuk-u-visually-hidden">Error: </span>{message}' in text  # ... and the message beside it
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/")["Location"] == MFA


@time_machine.travel(START, tick=False)
def test_right_code_goes_home(client, user, device):
    response = sign_in_with_mfa(client, user.username, device)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    home = client.get("/")
    assert home.status_code == 200


def test_right_code_after_a_wrong_one(client, user, device):
    with time_machine.travel(START, tick=False) as traveller:
        post_sign_in(client, user.username)
        post_code(client, wrong_code_for(device))
        # django-otp slows down guessing: wait out the throttle (1 s after one failure).
        traveller.shift(2)
        device.refresh_from_db()
        response = post_code(client, code_for(device))
    assert response["Location"] == "/"


def test_code_may_contain_spaces(client, user, device):
    with time_machine.travel(START, tick=False):
        post_sign_in(client, user.username)
        code = code_for(device)
        response = post_code(client, f"{code[:3]} {code[3:]}")
    assert response["Location"] == "/"


def test_a_code_works_only_once(client, other_client, user, device):
    with time_machine.travel(START, tick=False):
        code = code_for(device)
        post_sign_in(client, user.username)
        assert post_code(client, code)["Location"] == "/"
        post_sign_in(other_client, user.username)
        replay = post_code(other_client, code)
    assert replay.status_code == 200
    assert b"That code is not right" in replay.content


@time_machine.travel(START, tick=False)
def test_next_is_kept_through_mfa(client, user, device):
    response = post_sign_in(client, user.username, next_url="/agencies/")
    assert response["Location"] == MFA
    response = post_code(client, code_for(device))
    assert response["Location"] == "/agencies/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://testserver/agencies/",  # same host but not HTTPS
        "javascript:alert(1)",
        "https:///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        " //evil.example",
    ],
)
def test_off_site_next_is_refused(client, user, device, target):
    with time_machine.travel(START, tick=False):
        post_sign_in(client, user.username, next_url=target)
        response = post_code(client, code_for(device))
    assert response["Location"] == "/"


def test_next_in_the_query_string_is_kept(client, user, device):
    page = client.get(SIGN_IN, {"next": "/agencies/"})
    assert b'value="/agencies/"' in page.content
    with time_machine.travel(START, tick=False):
        client.post(f"{SIGN_IN}?next=/agencies/", {"username": user.username, "password": PASSWORD})
        response = post_code(client, code_for(device))
    assert response["Location"] == "/agencies/"


def test_next_is_escaped_in_the_page(client):
    page = client.get(SIGN_IN, {"next": '"><script>alert(1)</script>'})
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.content


def test_visiting_a_page_signed_out_sends_you_to_sign_in_with_next(client, partnership):
    response = client.get("/agencies/")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/agencies/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "password": ""}, "This field is required"),
        ({"username": "mh.practitioner", "password": ""}, "This field is required"),
        ({"username": "", "password": PASSWORD}, "This field is required"),
        ({"username": "   ", "password": PASSWORD}, "This field is required"),
        ({}, "This field is required"),
        ({"username": "mh.practitioner\x00", "password": PASSWORD}, "Null characters are not allowed"),
    ],
)
def test_malformed_sign_in_gets_a_clear_message(client, partnership, data, message):
    response = client.post(SIGN_IN, data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert SESSION_KEY not in client.session


def test_an_absurdly_long_username_is_refused_politely(client, partnership):
    response = post_sign_in(client, "a" * 5000, "whatever it is")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert SESSION_KEY not in client.session


MALFORMED_CODES = [
    "abcdef",
    "12345",
    "1234567",
    "",
    "12 34",
    "12345a",
    "\u00b2" * 6,  # superscript twos: "digits" to str.isdigit, not to int()
    "\uff11\uff12\uff13\uff14\uff15\uff16",  # full-width digits
]


@pytest.mark.parametrize("code", MALFORMED_CODES)
def test_malformed_code_gets_a_clear_message(client, user, device, code):
    post_sign_in(client, user.username)
    response = post_code(client, code)
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "6-digit code" in text or "This field is required" in text or "That code is not right" in text
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_mfa_page_needs_a_password_first(client, partnership):
    response = client.get(MFA)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
    response = client.post(MFA, {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_sign_in_only_accepts_get_and_post(client):
    assert client.put(SIGN_IN).status_code == 405
    assert client.delete(SIGN_IN).status_code == 405


def test_sign_in_records_last_login(client, user, device):
    assert user.last_login is None
    post_sign_in(client, user.username)
    user.refresh_from_db()
    assert user.last_login is not None


def test_sign_in_cycles_the_session_key(client, user):
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key
    post_sign_in(client, user.username)
    assert client.session.session_key != before


class TestPasswords:
    def test_production_hashes_with_argon2_first(self):
        from joinedup.config import settings as production

        assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

    def test_passwords_are_hashed_with_argon2(self, settings, partnership):
        from joinedup.config import settings as production

        settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the real work factors, once
        user = services.user_create(
            SYSTEM,
            username="new.starter",
            email="new.starter@example.org",
            first_name="New",
            last_name="Starter",
            agency=partnership.mental_health,
            roles=["practitioner"],
            password="a long and unguessable passphrase",
        )
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$")
        assert "a long and unguessable passphrase" not in user.password
        assert user.check_password("a long and unguessable passphrase")

    def test_factory_users_are_argon2_too(self, user):
        assert user.password.startswith("argon2")

    def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(self, client, partnership):
        legacy = UserFactory(
            username="legacy.user",
            agency=partnership.housing,
            password=make_password(PASSWORD, hasher=QuickPBKDF2PasswordHasher()),
        )
        assert legacy.password.startswith("pbkdf2_sha256")
        assert post_sign_in(client, "legacy.user")["Location"] == MFA
        legacy.refresh_from_db()
        assert legacy.password.startswith("argon2")

    def test_a_user_created_without_a_password_cannot_sign_in(self, client, partnership):
        services.user_create(
            SYSTEM,
            username="no.password",
            email="no.password@example.org",
            first_name="No",
            last_name="Password",
            agency=partnership.housing,
            roles=[],
        )
        assert not User.objects.get(username="no.password").has_usable_password()
        response = post_sign_in(client, "no.password", "")
        assert response.status_code == 200
        assert SESSION_KEY not in client.session


class TestCsrf:
    """The sign-in and session forms are protected from cross-site posting; refusals are pages, not 500s."""

    @pytest.fixture
    def strict_client(self):
        from joinedup.conftest import HttpsClient

        return HttpsClient(enforce_csrf_checks=True)

    def _token(self, page) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        assert match
        return match.group(1)

    def test_sign_in_without_the_form_token_is_refused_politely(self, strict_client, user):
        response = strict_client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
        assert response.status_code == 403
        assert b"Your form had expired" in response.content
        assert SESSION_KEY not in strict_client.session

    def test_sign_in_from_another_site_is_refused(self, strict_client, user):
        token = self._token(strict_client.get(SIGN_IN))
        response = strict_client.post(
            SIGN_IN,
            {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Origin": "https://evil.example"},
        )
        assert response.status_code == 403
        assert SESSION_KEY not in strict_client.session

    def test_sign_in_with_the_form_token_works(self, strict_client, user):
        token = self._token(strict_client.get(SIGN_IN))
        response = strict_client.post(
            SIGN_IN,
            {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Origin": "https://testserver"},
        )
        assert response.status_code == 302
        assert response["Location"] == MFA

    def test_sign_out_from_another_site_is_refused(self, strict_client, user):
        sign_in(strict_client, user)
        response = strict_client.post(SIGN_OUT, headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
        assert strict_client.get(PAGE).status_code == 200
