"""Writes to accounts: each in one transaction with its change event."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.sessions.models import Session
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts import tokens
from joinedup.accounts.models import ApiToken, Role, RoleGrant, User, UserSession
from joinedup.agencies.models import Agency, Team
from joinedup.audit.services import record_change, snapshot
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, ValidationFailed


def user_create(
    actor: Actor,
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    agency: Agency | None,
    roles: Iterable[str],
    team: Team | None = None,
    job_title: str = "",
    phone: str = "",
    password: str | None = None,
) -> User:
    if team is not None and team.agency_id != (agency.pk if agency else None):
        raise ValidationFailed({"team": "Choose a team in the user's own agency"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed({"username": "That username is already taken"})
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            agency=agency,
            team=team,
            job_title=job_title,
            phone=phone,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except DjangoValidationError as error:
            raise ValidationFailed(
                {k if k != NON_FIELD_ERRORS else "": v for k, v in error.message_dict.items()}
            ) from None
        user.save()
        record_change(actor, action="user_create", obj=user, before=None, after=snapshot(user))
        for code in roles:
            role_grant(actor, user=user, role_code=code)
    return user


def role_grant(actor: Actor, *, user: User, role_code: str, starts_at: datetime | None = None) -> RoleGrant:
    role = Role.objects.filter(code=role_code).first()
    if role is None:
        raise ValidationFailed({"roles": f"There is no role called {role_code!r}"})
    with transaction.atomic():
        grant = RoleGrant.objects.create(user=user, role=role, starts_at=starts_at or clock.now())
        record_change(actor, action="role_grant", obj=grant, before=None, after=snapshot(grant))
    return grant


def role_revoke(actor: Actor, *, grant: RoleGrant) -> RoleGrant:
    """End a grant now. One that has already ended is left as it was (its history stands); one
    that has not started yet never held, so it is removed."""
    now = clock.now()
    if grant.ends_at is not None and grant.ends_at <= now:
        raise ValidationFailed({"": "That role has already ended"})
    with transaction.atomic():
        before = snapshot(grant)
        if grant.starts_at >= now:
            record_change(actor, action="role_revoke", obj=grant, before=before, after=None)
            grant.delete()
            return grant
        grant.ends_at = now
        grant.save(update_fields=["ends_at", "updated_at"])
        record_change(actor, action="role_revoke", obj=grant, before=before, after=snapshot(grant))
    return grant


def sessions_end(user: User) -> int:
    """End every server session the user has (sign-out everywhere)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def session_track(*, user: User, session_key: str) -> None:
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def user_deactivate(actor: Actor, *, user: User) -> User:
    """Stop an account: it can no longer sign in, its sessions end and its tokens stop working."""
    with transaction.atomic():
        before = snapshot(user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
        sessions_end(user)
        record_change(actor, action="user_deactivate", obj=user, before=before, after=snapshot(user))
    return user


def api_token_create(actor: Actor, *, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and never stored."""
    name = name.strip()
    max_length = ApiToken._meta.get_field("name").max_length or 0
    if not name or len(name) > max_length:
        raise ValidationFailed({"name": f"Give the token a name of 1 to {max_length} characters"})
    plain, prefix, key_hash = tokens.new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=key_hash)
        record_change(actor, action="api_token_create", obj=token, before=None, after=snapshot(token))
    return token, plain


def api_token_revoke(actor: Actor, *, user: User, prefix: str) -> ApiToken:
    token = ApiToken.objects.filter(user=user, prefix=prefix, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound("No live token with that prefix")
    with transaction.atomic():
        before = snapshot(token)
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record_change(actor, action="api_token_revoke", obj=token, before=before, after=snapshot(token))
    return token


def mfa_confirm(actor: Actor, *, device: TOTPDevice, token: str) -> bool:
    """Confirm a new authenticator with its first code; other devices of the user are removed."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_change(
            actor,
            action="mfa_enrol",
            obj=device.user,
            before=None,
            after={"device": device.name, "confirmed": True},
        )
    return True
