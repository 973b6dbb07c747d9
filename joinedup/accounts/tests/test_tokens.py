"""Per-user API bearer tokens: printed once, stored hashed, revocable, bound to the account's state."""

import hashlib
import re
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import services, tokens
from joinedup.accounts.models import ApiToken
from joinedup.accounts.tests.factories import UserFactory
from joinedup.accounts.tests.flows import AGENCIES_API
from joinedup.audit.models import ChangeEvent
from joinedup.core.actor import SYSTEM

pytestmark = pytest.mark.django_db

TOKEN_SHAPE = re.compile(r"^jdu_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


def issue(username: str, *args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("api_token", username, *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def bearer(client, token: str, path: str = AGENCIES_API):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def assert_problem_401(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Sign-in needed"
    assert body["detail"]


class TestIssuing:
    def test_the_command_prints_a_token(self, user, device):
        out, err = StringIO(), StringIO()
        call_command("api_token", user.username, stdout=out, stderr=err)

        token = out.getvalue().strip()
        match = TOKEN_SHAPE.match(token)
        assert match, token
        assert match.group(1) in err.getvalue()
        assert "Authorization: Bearer" in err.getvalue()
        assert token not in err.getvalue()  # only the one line on stdout, for scripts to capture

    def test_only_a_sha256_hash_is_stored(self, user, device):
        token = issue(user.username, "--name", "nightly export")
        _, prefix, secret = token.split("_", 2)

        row = ApiToken.objects.get(user=user)
        assert row.name == "nightly export"
        assert row.prefix == prefix
        assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
        for value in (row.name, row.prefix, row.key_hash):
            assert secret not in value
            assert token not in value
        assert row.revoked_at is None
        assert row.last_used_at is None

    def test_issuing_is_audited_without_the_secret(self, user, device):
        token = issue(user.username)
        row = ApiToken.objects.get(user=user)
        event = ChangeEvent.objects.get(action="api_token_create")
        assert event.object_id == str(row.pk)
        assert event.actor_username == "system"
        assert "key_hash" not in event.after
        assert row.key_hash not in str(event.after)
        assert token.split("_", 2)[2] not in str(event.after)

    def test_each_token_is_different(self, user, device):
        assert issue(user.username) != issue(user.username)
        assert ApiToken.objects.filter(user=user).count() == 2

    def test_an_unknown_username_is_a_clear_error(self, partnership):
        with pytest.raises(CommandError, match=re.escape("No user called 'no.such.person'")):
            issue("no.such.person")
        assert not ApiToken.objects.exists()

    def test_a_deactivated_user_gets_no_token(self, user, device):
        services.user_deactivate(SYSTEM, user=user)
        with pytest.raises(CommandError, match="deactivated"):
            issue(user.username)
        assert not ApiToken.objects.exists()

    @pytest.mark.parametrize("name", ["", "   ", "x" * 101])
    def test_a_bad_name_is_a_clear_error(self, user, device, name):
        with pytest.raises(CommandError, match="name"):
            issue(user.username, "--name", name)
        assert not ApiToken.objects.exists()


class TestUsing:
    def test_a_bearer_token_reads_the_api(self, client, user, device):
        token = issue(user.username)

        response = bearer(client, token)

        assert response.status_code == 200
        assert isinstance(response.json(), list)
        assert ApiToken.objects.get(user=user).last_used_at is not None

    def test_a_bearer_token_makes_no_session(self, client, user, device):
        response = bearer(client, issue(user.username))
        assert response.status_code == 200
        assert not Session.objects.exists()
        assert "sessionid" not in response.cookies

    def test_the_scheme_is_case_insensitive(self, client, user, device):
        token = issue(user.username)
        assert client.get(AGENCIES_API, headers={"Authorization": f"bearer {token}"}).status_code == 200

    def test_a_token_does_not_open_the_pages(self, client, user, device):
        token = issue(user.username)
        response = client.get("/", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 302  # pages need a browser sign-in with MFA

    def test_a_wrong_secret_is_refused(self, client, user, device):
        token = issue(user.username)
        prefix = token.split("_")[1]
        assert_problem_401(bearer(client, f"jdu_{prefix}_{'A' * 43}"))
        assert ApiToken.objects.get(user=user).last_used_at is None

    @pytest.mark.parametrize(
        "raw",
        [
            "nonsense",
            "jdu_",
            "jdu__",
            "jdu_deadbeef0000_",
            "jdu_nothex!!!!!!!!_secret",
            "xyz_deadbeef0000_secret",
            "jdu_" + "f" * 500 + "_secret",
            "jdu_deadbeef0000_" + "s" * 5000,
            "jdu_déjà_vu",
        ],
    )
    def test_a_malformed_token_is_refused(self, client, user, device, raw):
        issue(user.username)
        assert_problem_401(bearer(client, raw))

    @pytest.mark.parametrize(
        "header", ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "jdu_deadbeef0000_secret"]
    )
    def test_a_malformed_authorization_header_is_refused(self, client, user, device, header):
        issue(user.username)
        assert_problem_401(client.get(AGENCIES_API, headers={"Authorization": header}))

    def test_no_token_at_all_is_refused(self, client, partnership):
        assert_problem_401(client.get(AGENCIES_API))

    def test_the_token_of_one_user_is_not_found_by_another_prefix(self, client, partnership):
        TOTPDevice.objects.create(user=partnership.practitioner, name="app", confirmed=True)
        TOTPDevice.objects.create(user=partnership.housing_officer, name="app", confirmed=True)
        mine = issue(partnership.practitioner.username)
        theirs = issue(partnership.housing_officer.username)
        forged = f"jdu_{mine.split('_')[1]}_{theirs.split('_', 2)[2]}"
        assert_problem_401(bearer(client, forged))


class TestRevoking:
    def test_revoke_stops_the_token(self, client, user, device):
        token = issue(user.username)
        prefix = token.split("_")[1]
        assert bearer(client, token).status_code == 200

        out = StringIO()
        call_command("api_token", user.username, "--revoke", prefix, stdout=out)

        assert f"Revoked token {prefix}" in out.getvalue()
        assert ApiToken.objects.get(prefix=prefix).revoked_at is not None
        assert_problem_401(bearer(client, token))
        assert ChangeEvent.objects.filter(action="api_token_revoke", object_id=str(ApiToken.objects.get().pk)).exists()

    def test_revoking_one_token_leaves_the_others(self, client, user, device):
        first, second = issue(user.username), issue(user.username)
        issue(user.username, "--revoke", first.split("_")[1])
        assert_problem_401(bearer(client, first))
        assert bearer(client, second).status_code == 200

    def test_revoking_an_unknown_prefix_is_a_clear_error(self, user, device):
        with pytest.raises(CommandError, match="No live token with that prefix"):
            issue(user.username, "--revoke", "000000000000")

    def test_revoking_twice_is_a_clear_error(self, user, device):
        prefix = issue(user.username).split("_")[1]
        issue(user.username, "--revoke", prefix)
        with pytest.raises(CommandError, match="No live token with that prefix"):
            issue(user.username, "--revoke", prefix)

    def test_you_cannot_revoke_someone_elses_token_by_naming_yourself(self, client, partnership):
        TOTPDevice.objects.create(user=partnership.practitioner, name="app", confirmed=True)
        token = issue(partnership.practitioner.username)
        with pytest.raises(CommandError):
            issue(partnership.housing_officer.username, "--revoke", token.split("_")[1])
        assert bearer(client, token).status_code == 200

    def test_revoke_for_an_unknown_user_is_a_clear_error(self, partnership):
        with pytest.raises(CommandError, match="No user called"):
            issue("no.such.person", "--revoke", "000000000000")


class TestAccountState:
    def test_deactivation_stops_the_token(self, client, user, device):
        token = issue(user.username)
        services.user_deactivate(SYSTEM, user=user)
        assert ApiToken.objects.get(user=user).revoked_at is not None
        assert_problem_401(bearer(client, token))

    def test_an_inactive_account_cannot_use_a_live_token(self, client, user, device):
        # Even if the token were somehow left unrevoked, the account's state is checked each time.
        token = issue(user.username)
        type(user).objects.filter(pk=user.pk).update(is_active=False)
        assert ApiToken.objects.get(user=user).revoked_at is None
        assert_problem_401(bearer(client, token))

    def test_no_confirmed_authenticator_no_token_use(self, client, user):
        TOTPDevice.objects.create(user=user, name="half set up", confirmed=False)
        token = issue(user.username)
        assert_problem_401(bearer(client, token))

    def test_removing_the_authenticator_stops_the_token(self, client, user, device):
        token = issue(user.username)
        assert bearer(client, token).status_code == 200
        device.delete()
        assert_problem_401(bearer(client, token))

    def test_setting_up_the_authenticator_later_lets_the_token_work(self, client, user):
        token = issue(user.username)
        assert_problem_401(bearer(client, token))
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        assert bearer(client, token).status_code == 200

    def test_without_mfa_in_the_demo_no_authenticator_is_needed(self, demo_mode, client, user):
        token = issue(user.username)
        assert bearer(client, token).status_code == 200

    def test_user_for_token_directly(self, user, device):
        token = issue(user.username)
        assert tokens.user_for_token(token) == user
        assert tokens.user_for_token(token + "x") is None
        assert tokens.user_for_token("") is None


def test_last_used_is_touched_at_most_every_five_minutes(client, user, device):
    import time_machine

    from joinedup.accounts.tests.flows import START

    token = issue(user.username)
    with time_machine.travel(START, tick=False) as traveller:
        bearer(client, token)
        first = ApiToken.objects.get().last_used_at
        assert first == START
        traveller.shift(60)
        bearer(client, token)
        assert ApiToken.objects.get().last_used_at == first
        traveller.shift(6 * 60)
        bearer(client, token)
        assert ApiToken.objects.get().last_used_at > first


def test_a_second_user_token_is_independent(client, partnership):
    other = UserFactory(username="other.user", agency=partnership.police)
    TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    token = issue("other.user")
    assert tokens.user_for_token(token) == other
