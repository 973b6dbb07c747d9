"""django-axes: five failures on one username pause it for the cool-off, whoever is trying."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY

from joinedup.accounts.tests.flows import MFA, PAGE, SIGN_IN, START, normalised, post_sign_in

pytestmark = pytest.mark.django_db

WRONG = "not the password at all"
LOCKED_TITLE = b"Too many attempts to sign in"


def _fail(client, username: str, times: int) -> list[int]:
    return [post_sign_in(client, username, WRONG).status_code for _ in range(times)]


def test_settings_lock_by_username_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


@time_machine.travel(START, tick=False)
def test_four_failures_do_not_lock(client, user):
    assert _fail(client, user.username, 4) == [200] * 4
    assert post_sign_in(client, user.username)["Location"] == MFA


@time_machine.travel(START, tick=False)
def test_the_fifth_failure_locks_the_username(client, user):
    statuses = _fail(client, user.username, 5)
    assert statuses == [200, 200, 200, 200, 429]

    response = post_sign_in(client, user.username, WRONG)
    assert response.status_code == 429
    assert LOCKED_TITLE in response.content
    assert b"paused for 15 minutes" in response.content


@time_machine.travel(START, tick=False)
def test_the_right_password_does_not_sign_in_during_lockout(client, user):
    _fail(client, user.username, 5)

    response = post_sign_in(client, user.username)

    assert response.status_code == 429
    assert LOCKED_TITLE in response.content
    assert SESSION_KEY not in client.session
    assert client.get(PAGE)["Location"].startswith(SIGN_IN)


def test_the_lockout_page_is_the_same_whether_or_not_the_account_exists(client, other_client, user):
    with time_machine.travel(START, tick=False):
        _fail(client, user.username, 5)
        _fail(other_client, "nobody.here", 5)
        existing = post_sign_in(client, user.username)
        unknown = post_sign_in(other_client, "nobody.here")

    assert existing.status_code == unknown.status_code == 429
    assert normalised(existing) == normalised(unknown)


def test_sign_in_works_again_after_the_cool_off(client, user):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, user.username, 5)
        traveller.shift(timedelta(minutes=16))
        response = post_sign_in(client, user.username)
        assert response.status_code == 302
        assert response["Location"] == MFA
        assert client.session[SESSION_KEY] == str(user.pk)


def test_still_locked_just_before_the_cool_off_ends(client, user):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, user.username, 5)
        traveller.shift(timedelta(minutes=14, seconds=50))
        assert post_sign_in(client, user.username).status_code == 429


def test_trying_again_during_the_lockout_does_not_extend_it(client, user):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, user.username, 5)
        traveller.shift(timedelta(minutes=14))
        assert post_sign_in(client, user.username).status_code == 429
        traveller.shift(timedelta(minutes=2))  # 16 minutes after the lockout began
        response = post_sign_in(client, user.username)
    assert response.status_code == 302


def test_with_the_recommended_setting_retrying_does_not_extend_the_lockout(client, user, settings):
    settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, user.username, 5)
        traveller.shift(timedelta(minutes=14))
        assert post_sign_in(client, user.username).status_code == 429
        traveller.shift(timedelta(minutes=2))
        response = post_sign_in(client, user.username)
    assert response.status_code == 302


def test_the_lock_is_per_username(client, other_client, partnership):
    with time_machine.travel(START, tick=False):
        _fail(client, partnership.practitioner.username, 5)
        # Someone else at the same desk (same address, same browser kind) is not locked out.
        response = post_sign_in(other_client, partnership.housing_officer.username)
    assert response.status_code == 302
    assert response["Location"] == MFA


def test_the_lock_follows_the_username_to_any_browser(client, other_client, user):
    with time_machine.travel(START, tick=False):
        _fail(client, user.username, 5)
        response = post_sign_in(other_client, user.username)
    assert response.status_code == 429


def test_a_successful_sign_in_clears_the_count(client, other_client, user):
    with time_machine.travel(START, tick=False):
        _fail(client, user.username, 4)
        assert post_sign_in(other_client, user.username)["Location"] == MFA
        assert _fail(client, user.username, 4) == [200] * 4


def test_failures_spread_over_more_than_the_cool_off_do_not_add_up(client, user):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, user.username, 4)
        traveller.shift(timedelta(minutes=20))
        assert _fail(client, user.username, 1) == [200]


def test_malformed_attempts_are_not_counted(client, user):
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            assert client.post(SIGN_IN, {"username": user.username, "password": ""}).status_code == 200
        assert post_sign_in(client, user.username)["Location"] == MFA
