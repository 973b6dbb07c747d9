"""Session lifetime: 15 idle minutes or 8 hours in all; sign-out ends the server session."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session

from joinedup.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from joinedup.accounts.models import UserSession
from joinedup.accounts.tests.flows import (
    AGENCIES_API,
    KEEP_ALIVE,
    PAGE,
    SIGN_IN,
    SIGN_OUT,
    START,
    STATUS,
    sign_in_with_mfa,
)

pytestmark = pytest.mark.django_db

IDLE_MESSAGE = "You were signed out because you had not done anything for 15 minutes."
ABSOLUTE_MESSAGE = "You were signed out because you had been signed in for 8 hours."


def _minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def _signed_out_to_sign_in(response) -> None:
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN


def test_the_limits_are_fifteen_minutes_and_eight_hours():
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 15 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() == 8 * 60 * 60
    assert settings.SESSION_IDLE_WARNING < settings.SESSION_IDLE_TIMEOUT


class TestIdleTimeout:
    def test_fifteen_idle_minutes_sign_you_out(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            assert client.get(PAGE).status_code == 200
            session_key = client.session.session_key
            traveller.shift(_minutes(16))

            response = client.get(PAGE)

            _signed_out_to_sign_in(response)
            assert SESSION_KEY not in client.session
            assert not Session.objects.filter(session_key=session_key).exists()
            page = client.get(response["Location"])
            assert page.status_code == 200
            assert IDLE_MESSAGE in page.content.decode()
            # And it stays signed out.
            assert client.get(PAGE)["Location"].startswith(SIGN_IN)

    def test_fifteen_minutes_exactly_is_still_in(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            traveller.shift(_minutes(15))
            assert client.get(PAGE).status_code == 200

    def test_an_api_request_after_the_idle_limit_gets_401_json(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            assert client.get(AGENCIES_API).status_code == 200
            traveller.shift(_minutes(16))

            response = client.get(AGENCIES_API)

            assert response.status_code == 401
            assert response["Content-Type"] == "application/problem+json"
            body = response.json()
            assert body["status"] == 401
            assert body["title"] == "Sign-in needed"
            assert body["detail"] == IDLE_MESSAGE
            assert body["signed_out"] == "idle"
            assert SESSION_KEY not in client.session

    def test_an_htmx_request_after_the_idle_limit_gets_401(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            traveller.shift(_minutes(16))
            response = client.get(PAGE, headers={"HX-Request": "true"})
            assert response.status_code == 401
            assert response.json()["signed_out"] == "idle"

    def test_activity_within_fifteen_minutes_keeps_the_session(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            for _ in range(6):  # an hour and a half, a click every 14 minutes
                assert client.get("/agencies/").status_code == 200
                traveller.shift(_minutes(14))
            assert client.get(PAGE).status_code == 200

    def test_api_use_counts_as_activity(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            traveller.shift(_minutes(10))
            assert client.get(AGENCIES_API).status_code == 200
            traveller.shift(_minutes(10))
            assert client.get(PAGE).status_code == 200

    def test_an_idle_session_cannot_be_revived_by_keep_alive(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            traveller.shift(_minutes(16))
            response = client.post(KEEP_ALIVE)
            assert response.status_code != 204
            assert SESSION_KEY not in client.session

    def test_an_unverified_session_times_out_too(self, client, user, device):
        from joinedup.accounts.tests.flows import MFA, post_sign_in

        with time_machine.travel(START, tick=False) as traveller:
            post_sign_in(client, user.username)
            assert client.get(MFA).status_code == 200
            traveller.shift(_minutes(16))
            _signed_out_to_sign_in(client.get(MFA))
            assert SESSION_KEY not in client.session


class TestAbsoluteTimeout:
    def test_eight_hours_end_the_session_despite_constant_activity(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            # Busy all day: a keep-alive every 14 minutes for 7 hours 56 minutes.
            for _ in range(34):
                traveller.shift(_minutes(14))
                assert client.post(KEEP_ALIVE).status_code == 204
            assert client.get(PAGE).status_code == 200  # 7 h 56 min in
            traveller.shift(_minutes(6))  # 8 h 2 min in, only 6 minutes since the last click

            response = client.get(PAGE)

            _signed_out_to_sign_in(response)
            assert ABSOLUTE_MESSAGE in client.get(SIGN_IN).content.decode()
            assert SESSION_KEY not in client.session

    def test_the_absolute_clock_starts_at_sign_in(self, client, user, device):
        with time_machine.travel(START, tick=False) as traveller:
            sign_in_with_mfa(client, user.username, device)
            client.get(PAGE)
            started = client.session[SESSION_STARTED]
            assert started == pytest.approx(START.timestamp())
            traveller.shift(_minutes(10))
            client.get(PAGE)
            assert client.session[SESSION_STARTED] == started

    def test_the_api_gets_401_json_after_eight_hours(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            for _ in range(34):
                traveller.shift(_minutes(14))
                assert client.post(KEEP_ALIVE).status_code == 204
            traveller.shift(_minutes(6))
            response = client.get(AGENCIES_API)
            assert response.status_code == 401
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["signed_out"] == "absolute"
            assert response.json()["detail"] == ABSOLUTE_MESSAGE


class TestStatusAndKeepAlive:
    def test_status_reports_the_seconds_left(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            assert client.get(STATUS).json() == {"remaining": 900}
            traveller.shift(_minutes(10))
            response = client.get(STATUS)
            assert response.status_code == 200
            assert response.json() == {"remaining": 300}

    def test_status_does_not_count_as_activity(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            last_seen = client.session[SESSION_LAST_SEEN]
            for _ in range(7):  # polling every two minutes does not keep the session alive
                traveller.shift(_minutes(2))
                assert client.get(STATUS).status_code == 200
            assert client.session[SESSION_LAST_SEEN] == last_seen
            assert client.get(STATUS).json() == {"remaining": 60}
            traveller.shift(_minutes(2))  # 16 minutes since the last real request
            _signed_out_to_sign_in(client.get(PAGE))

    def test_status_after_the_idle_limit_is_not_a_success(self, client_for, user):
        # The page script fetches with redirect: "manual", so anything but 200 means "signed out".
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            traveller.shift(_minutes(16))
            response = client.get(STATUS)
            assert response.status_code != 200
            assert SESSION_KEY not in client.session

    def test_status_needs_a_signed_in_user(self, client, partnership):
        response = client.get(STATUS)
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)

    def test_keep_alive_resets_the_idle_clock(self, client_for, user):
        with time_machine.travel(START, tick=False) as traveller:
            client = client_for(user)
            client.get(PAGE)
            traveller.shift(_minutes(13))
            assert client.get(STATUS).json() == {"remaining": 120}  # the warning shows now
            response = client.post(KEEP_ALIVE)
            assert response.status_code == 204
            assert client.get(STATUS).json() == {"remaining": 900}
            traveller.shift(_minutes(14))  # 27 minutes since the page, 14 since "stay signed in"
            assert client.get(PAGE).status_code == 200

    def test_keep_alive_must_be_posted(self, client_for, user):
        client = client_for(user)
        assert client.get(KEEP_ALIVE).status_code == 405

    def test_keep_alive_needs_a_signed_in_user(self, client, partnership):
        response = client.post(KEEP_ALIVE)
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)

    def test_pages_carry_the_warning_timings(self, client_for, user):
        page = client_for(user).get(PAGE).content.decode()
        assert 'data-idle-seconds="900"' in page
        assert 'data-warning-seconds="120"' in page
        assert 'id="session-timeout"' in page
        assert "/account/session/keep-alive" in page

    def test_signed_out_pages_carry_no_warning(self, client):
        page = client.get(SIGN_IN).content.decode()
        assert "data-idle-seconds" not in page


class TestSignOut:
    def test_sign_out_deletes_the_server_session(self, client, user, device):
        with time_machine.travel(START, tick=False):
            sign_in_with_mfa(client, user.username, device)
            session_key = client.session.session_key
            assert Session.objects.filter(session_key=session_key).exists()
            assert UserSession.objects.filter(session_key=session_key, user=user).exists()

            response = client.post(SIGN_OUT)

            assert response.status_code == 302
            assert response["Location"] == "/account/signed-out"
            assert not Session.objects.filter(session_key=session_key).exists()
            assert client.get(response["Location"]).status_code == 200
            assert client.get(PAGE)["Location"].startswith(SIGN_IN)
            assert client.get(AGENCIES_API).status_code == 401

    def test_a_stolen_cookie_is_useless_after_sign_out(self, client, other_client, user, device):
        with time_machine.travel(START, tick=False):
            sign_in_with_mfa(client, user.username, device)
            stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
            client.post(SIGN_OUT)
            other_client.cookies[settings.SESSION_COOKIE_NAME] = stolen
            assert other_client.get(PAGE)["Location"].startswith(SIGN_IN)

    def test_sign_out_by_get_is_refused(self, client_for, user):
        client = client_for(user)
        session_key = client.session.session_key
        assert client.get(SIGN_OUT).status_code == 405
        assert Session.objects.filter(session_key=session_key).exists()
        assert client.get(PAGE).status_code == 200

    def test_sign_out_works_before_mfa(self, client, user, device):
        from joinedup.accounts.tests.flows import post_sign_in

        post_sign_in(client, user.username)
        session_key = client.session.session_key
        response = client.post(SIGN_OUT)
        assert response.status_code == 302
        assert not Session.objects.filter(session_key=session_key).exists()

    def test_sign_out_when_signed_out_is_harmless(self, client):
        response = client.post(SIGN_OUT)
        assert response.status_code == 302
        assert response["Location"] == "/account/signed-out"

    def test_sign_out_ends_only_this_session(self, client, other_client, user, device):
        with time_machine.travel(START, tick=False) as traveller:
            sign_in_with_mfa(client, user.username, device)
            traveller.shift(60)
            sign_in_with_mfa(other_client, user.username, device)
            client.post(SIGN_OUT)
            assert other_client.get(PAGE).status_code == 200

    def test_signed_out_page_explains_an_idle_sign_out(self, client):
        page = client.get("/account/signed-out", {"reason": "idle"})
        assert page.status_code == 200
        assert b"had not done anything for a while" in page.content
