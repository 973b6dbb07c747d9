"""Per-user API bearer tokens: "jdu_<prefix>_<secret>"; only a SHA-256 of the secret is kept."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from joinedup.accounts import mfa
from joinedup.accounts.models import ApiToken, User
from joinedup.core import clock

TOKEN_PREFIX = "jdu"  # noqa: S105 (a label, not a secret)
_TOUCH_INTERVAL = timedelta(minutes=5)


def new_token() -> tuple[str, str, str]:
    """(full token to show once, prefix to store, hash to store)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{TOKEN_PREFIX}_{prefix}_{secret}", prefix, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_for_token(raw: str) -> User | None:
    """The active, MFA-enrolled user a live token belongs to, or None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    token = ApiToken.objects.select_related("user", "user__agency").filter(prefix=prefix).first()
    if token is None or token.revoked_at is not None:
        return None
    if not hmac.compare_digest(token.key_hash, hash_secret(secret)):
        return None
    user = token.user
    if not user.is_active or not mfa.satisfied_by_enrolment(user):
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
