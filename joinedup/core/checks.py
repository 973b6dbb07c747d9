"""Deploy checks of our own, run by `manage.py check --deploy`."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.DEMO_MODE:
        errors.append(
            Error(
                "DEMO_MODE is on: anyone could sign in as any demo persona without MFA.",
                hint="Unset DEMO_MODE in production.",
                id="joinedup.E001",
            )
        )
    if not settings.SECRET_KEY_FROM_ENV:
        errors.append(
            Error(
                "SECRET_KEY is not set in the environment; a locally generated key is in use.",
                hint="Set SECRET_KEY to a long random value shared by every app server.",
                id="joinedup.E002",
            )
        )
    return errors
