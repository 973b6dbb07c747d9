"""Account writes: each in one transaction with its change event; dated role grants; deactivation."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import services
from joinedup.accounts.actors import actor_for, request_actor, roles_in_force
from joinedup.accounts.models import ApiToken, Role, RoleGrant, User, UserSession
from joinedup.accounts.roles import RoleCode
from joinedup.accounts.tests.factories import UserFactory
from joinedup.accounts.tests.flows import AGENCIES_API, PAGE, SIGN_IN, START, sign_in_with_mfa
from joinedup.agencies.tests.factories import TeamFactory
from joinedup.audit.models import ChangeEvent
from joinedup.core import clock
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.core.tests.helpers import actor

pytestmark = pytest.mark.django_db


def _grant(user: User, code: str, starts: timedelta, ends: timedelta | None = None) -> RoleGrant:
    """A grant starting (and perhaps ending) relative to now."""
    now = clock.now()
    return RoleGrant.objects.create(
        user=user,
        role=Role.objects.get(code=code),
        starts_at=now + starts,
        ends_at=now + ends if ends is not None else None,
    )


class TestDeactivation:
    def test_deactivation_ends_server_sessions(self, client, other_client, user, device, partnership):
        with time_machine.travel(START, tick=False) as traveller:
            sign_in_with_mfa(client, user.username, device)
            traveller.shift(60)
            sign_in_with_mfa(other_client, user.username, device)
            keys = {client.session.session_key, other_client.session.session_key}
            assert Session.objects.filter(session_key__in=keys).count() == 2
            assert client.get(PAGE).status_code == 200

            services.user_deactivate(actor(partnership.system_admin), user=user)

            assert not Session.objects.filter(session_key__in=keys).exists()
            assert not UserSession.objects.filter(user=user).exists()
            for browser in (client, other_client):
                response = browser.get(PAGE)
                assert response.status_code == 302
                assert response["Location"].startswith(SIGN_IN)
                assert browser.get(AGENCIES_API).status_code == 401

    def test_deactivation_signs_out_even_an_untracked_session(self, client_for, user, partnership):
        # Sessions made without the sign-in page (the test helper's force_login) are not tracked;
        # the account's state is still checked on every request.
        client = client_for(user)
        assert client.get(PAGE).status_code == 200
        services.user_deactivate(actor(partnership.system_admin), user=user)
        assert client.get(PAGE)["Location"].startswith(SIGN_IN)

    def test_deactivation_leaves_other_users_signed_in(self, client, other_client, partnership):
        practitioner, housing = partnership.practitioner, partnership.housing_officer
        mine = TOTPDevice.objects.create(user=practitioner, name="app", confirmed=True)
        theirs = TOTPDevice.objects.create(user=housing, name="app", confirmed=True)
        with time_machine.travel(START, tick=False):
            sign_in_with_mfa(client, practitioner.username, mine)
            sign_in_with_mfa(other_client, housing.username, theirs)
            services.user_deactivate(actor(partnership.system_admin), user=practitioner)
            assert other_client.get(PAGE).status_code == 200

    def test_deactivation_revokes_api_tokens(self, user, device, partnership):
        services.api_token_create(actor(user), user=user, name="one")
        services.api_token_create(actor(user), user=user, name="two")
        police = partnership.police_officer
        other, _ = services.api_token_create(actor(police), user=police, name="x")

        services.user_deactivate(actor(partnership.system_admin), user=user)

        assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0
        assert ApiToken.objects.get(pk=other.pk).revoked_at is None

    def test_deactivation_is_recorded(self, user, partnership):
        admin = partnership.system_admin
        services.user_deactivate(actor(admin), user=user)

        user.refresh_from_db()
        assert not user.is_active
        event = ChangeEvent.objects.get(action="user_deactivate")
        assert event.object_type == "accounts.user"
        assert event.object_id == str(user.pk)
        assert event.actor_user_id == admin.pk
        assert event.before["is_active"] is True
        assert event.after["is_active"] is False
        assert "password" not in event.before
        assert "password" not in event.after

    def test_a_deactivated_user_has_no_roles(self, user):
        services.user_deactivate(actor(user), user=user)
        user.refresh_from_db()
        assert actor_for(user, "r").roles == frozenset()


class TestSessionsEnd:
    def test_sessions_end_counts_and_removes(self, client, other_client, user, device):
        with time_machine.travel(START, tick=False) as traveller:
            sign_in_with_mfa(client, user.username, device)
            traveller.shift(60)
            sign_in_with_mfa(other_client, user.username, device)
            assert services.sessions_end(user) == 2
            assert not Session.objects.exists()
            assert services.sessions_end(user) == 0

    def test_sign_in_tracks_the_session_under_its_final_key(self, client, user, device):
        with time_machine.travel(START, tick=False):
            sign_in_with_mfa(client, user.username, device)
            tracked = UserSession.objects.get(user=user)
            assert tracked.session_key == client.session.session_key
            assert Session.objects.filter(session_key=tracked.session_key).exists()


class TestUserCreate:
    def _create(self, partnership, **overrides):
        values = {
            "username": "new.starter",
            "email": "new.starter@example.org",
            "first_name": "New",
            "last_name": "Starter",
            "agency": partnership.mental_health,
            "roles": [RoleCode.PRACTITIONER],
        }
        values.update(overrides)
        return services.user_create(actor(partnership.system_admin), **values)

    def test_creates_the_user_with_roles_and_events(self, partnership):
        user = self._create(partnership, roles=[RoleCode.PRACTITIONER, RoleCode.MANAGER])
        assert user.agency == partnership.mental_health
        assert roles_in_force(user) == {"practitioner", "manager"}
        assert not user.has_usable_password()
        actions = list(ChangeEvent.objects.order_by("id").values_list("action", flat=True))
        assert actions == ["user_create", "role_grant", "role_grant"]
        created = ChangeEvent.objects.get(action="user_create")
        assert "password" not in created.after
        assert created.after["username"] == "new.starter"

    def test_a_taken_username_is_refused_whatever_its_case(self, partnership):
        with pytest.raises(ValidationFailed) as error:
            self._create(partnership, username="MH.Practitioner")
        assert error.value.errors == {"username": ["That username is already taken"]}

    def test_a_taken_email_is_refused_whatever_its_case(self, partnership):
        with pytest.raises(ValidationFailed) as error:
            self._create(partnership, email=partnership.practitioner.email.upper())
        assert error.value.field in ("email", None)
        assert not User.objects.filter(username="new.starter").exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [("email", "not an email"), ("username", "has spaces!"), ("username", "x" * 151), ("email", "")],
    )
    def test_invalid_fields_are_validation_failures_not_crashes(self, partnership, field, value):
        with pytest.raises(ValidationFailed) as error:
            self._create(partnership, **{field: value})
        assert field in error.value.errors
        assert not ChangeEvent.objects.filter(action="user_create").exists()

    def test_a_team_of_another_agency_is_refused(self, partnership):
        team = TeamFactory(agency=partnership.housing)
        with pytest.raises(ValidationFailed) as error:
            self._create(partnership, team=team)
        assert "team" in error.value.errors

    def test_an_unknown_role_rolls_back_the_whole_user(self, partnership):
        with pytest.raises(ValidationFailed) as error:
            self._create(partnership, roles=[RoleCode.PRACTITIONER, "wizard"])
        assert "roles" in error.value.errors
        assert not User.objects.filter(username="new.starter").exists()
        assert not ChangeEvent.objects.exists()


class TestRoleGrants:
    def test_role_grant_records_an_event(self, user, partnership):
        grant = services.role_grant(actor(partnership.system_admin), user=user, role_code=RoleCode.MANAGER)
        assert grant.ends_at is None
        assert "manager" in roles_in_force(user)
        assert ChangeEvent.objects.filter(action="role_grant", object_id=str(grant.pk)).exists()

    def test_role_grant_of_an_unknown_role_is_refused(self, user):
        with pytest.raises(ValidationFailed, match="There is no role called"):
            services.role_grant(actor(user), user=user, role_code="wizard")

    def test_a_future_grant_is_not_in_force_until_it_starts(self, user):
        with time_machine.travel(START, tick=False) as traveller:
            services.role_grant(actor(user), user=user, role_code=RoleCode.MANAGER, starts_at=START + timedelta(days=1))
            assert "manager" not in roles_in_force(user)
            traveller.shift(timedelta(days=1))
            assert "manager" in roles_in_force(user)

    def test_role_revoke_ends_the_grant_now(self, user, partnership):
        with time_machine.travel(START, tick=False):
            grant = services.role_grant(actor(user), user=user, role_code=RoleCode.MANAGER)
        with time_machine.travel(START + timedelta(days=3), tick=False):
            services.role_revoke(actor(partnership.system_admin), grant=grant)
            grant.refresh_from_db()
            assert grant.ends_at == START + timedelta(days=3)
            assert "manager" not in roles_in_force(user)
            event = ChangeEvent.objects.get(action="role_revoke")
            assert event.before["ends_at"] is None
            assert event.after["ends_at"] is not None

    def test_revoking_a_grant_that_has_not_started_removes_it(self, user, partnership):
        grant = _grant(user, RoleCode.MANAGER, starts=timedelta(days=1))
        services.role_revoke(actor(partnership.system_admin), grant=grant)
        assert not RoleGrant.objects.filter(role__code="manager", user=user).exists()
        event = ChangeEvent.objects.get(action="role_revoke")
        assert event.after is None
        assert event.before["role_id"] == str(grant.role_id)

    def test_revoking_an_ended_grant_does_not_rewrite_its_history(self, user, partnership):
        grant = _grant(user, RoleCode.MANAGER, starts=timedelta(days=-10), ends=timedelta(days=-1))
        ended = grant.ends_at
        with pytest.raises(ValidationFailed, match="already ended"):
            services.role_revoke(actor(partnership.system_admin), grant=grant)
        grant.refresh_from_db()
        assert grant.ends_at == ended

    def test_revoking_a_grant_with_a_planned_end_brings_it_forward(self, user, partnership):
        grant = _grant(user, RoleCode.MANAGER, starts=timedelta(days=-10), ends=timedelta(days=10))
        services.role_revoke(actor(partnership.system_admin), grant=grant)
        grant.refresh_from_db()
        assert grant.ends_at <= clock.now()
        assert "manager" not in roles_in_force(user)


class TestActorFor:
    def test_only_roles_in_force_now(self, partnership):
        user = UserFactory(username="dated.roles", agency=partnership.mental_health)
        _grant(user, RoleCode.PRACTITIONER, starts=timedelta(days=-30))  # open-ended: in force
        _grant(user, RoleCode.MANAGER, starts=timedelta(days=-30), ends=timedelta(days=-1))  # ended yesterday
        _grant(user, RoleCode.IG_LEAD, starts=timedelta(days=1))  # starts tomorrow
        _grant(user, RoleCode.FORUM_COORDINATOR, starts=timedelta(days=-1), ends=timedelta(days=1))  # in force
        _grant(user, RoleCode.CRISIS_WORKER, starts=timedelta(days=1), ends=timedelta(days=2))  # future

        found = actor_for(user, "req-1")

        assert found.roles == {"practitioner", "forum_coordinator"}
        assert found.user_id == user.pk
        assert found.username == "dated.roles"
        assert found.agency_id == partnership.mental_health.pk
        assert found.agency_name == "Northshire Mental Health"
        assert found.request_id == "req-1"

    def test_the_edges_of_a_grant(self, partnership):
        user = UserFactory(username="edges", agency=partnership.housing)
        with time_machine.travel(START, tick=False) as traveller:
            RoleGrant.objects.create(
                user=user,
                role=Role.objects.get(code=RoleCode.MANAGER),
                starts_at=START + timedelta(hours=1),
                ends_at=START + timedelta(hours=2),
            )
            assert "manager" not in actor_for(user, "r").roles
            traveller.shift(timedelta(hours=1))  # the start is inclusive
            assert "manager" in actor_for(user, "r").roles
            traveller.shift(timedelta(minutes=59, seconds=59))
            assert "manager" in actor_for(user, "r").roles
            traveller.shift(timedelta(seconds=1))  # the end is exclusive
            assert "manager" not in actor_for(user, "r").roles

    def test_team_and_no_agency(self, partnership):
        assert actor_for(partnership.practitioner, "r").team_id == partnership.practitioner.team_id
        loner = UserFactory(username="no.agency", agency=None)
        found = actor_for(loner, "r")
        assert found.agency_id is None
        assert found.agency_name == ""
        assert found.roles == frozenset()

    def test_request_actor_needs_a_user(self):
        from django.contrib.auth.models import AnonymousUser

        request = RequestFactory().get(PAGE)
        request.user = AnonymousUser()
        with pytest.raises(PermissionError):
            request_actor(request)

    def test_request_actor_is_built_once_per_request(self, user):
        request = RequestFactory().get(PAGE)
        request.user = user
        request.request_id = "abc"
        first = request_actor(request)
        assert request_actor(request) is first
        assert first.request_id == "abc"


class TestApiTokenServices:
    def test_revoke_needs_the_owner_and_a_live_token(self, user, partnership):
        token, _ = services.api_token_create(actor(user), user=user, name="script")
        with pytest.raises(NotFound):
            services.api_token_revoke(actor(user), user=partnership.housing_officer, prefix=token.prefix)
        services.api_token_revoke(actor(user), user=user, prefix=token.prefix)
        with pytest.raises(NotFound):
            services.api_token_revoke(actor(user), user=user, prefix=token.prefix)

    @pytest.mark.parametrize("name", ["", "  ", "n" * 101])
    def test_a_token_needs_a_sensible_name(self, user, name):
        with pytest.raises(ValidationFailed) as error:
            services.api_token_create(actor(user), user=user, name=name)
        assert "name" in error.value.errors
        assert not ApiToken.objects.exists()


class TestMfaConfirm:
    def test_a_wrong_code_changes_nothing(self, user):
        from joinedup.accounts.tests.flows import wrong_code_for

        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
        assert services.mfa_confirm(actor(user), device=device, token=wrong_code_for(device)) is False
        device.refresh_from_db()
        assert not device.confirmed
        assert not ChangeEvent.objects.exists()

    @time_machine.travel(START, tick=False)
    def test_a_right_code_confirms_and_removes_other_devices(self, user):
        from joinedup.accounts.tests.flows import code_for

        old = TOTPDevice.objects.create(user=user, name="old", confirmed=False)
        other_user_device = TOTPDevice.objects.create(user=UserFactory(), name="theirs", confirmed=True)
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)

        assert services.mfa_confirm(actor(user), device=device, token=code_for(device)) is True

        assert list(TOTPDevice.objects.filter(user=user)) == [device]
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()
        assert TOTPDevice.objects.filter(pk=other_user_device.pk).exists()
        assert ChangeEvent.objects.get(action="mfa_enrol").object_id == str(user.pk)
