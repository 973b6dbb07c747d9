"""The JSON API root: /api/v1/, OpenAPI 3.1 at /api/v1/openapi.json."""

from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI

from joinedup.actions.api import router as actions_router
from joinedup.agencies.api import router as agencies_router
from joinedup.api import problems
from joinedup.api.auth import BearerToken, SessionWithMfa
from joinedup.crisis.api import router as crisis_router
from joinedup.forums.api import router as forums_router
from joinedup.people.api import router as people_router
from joinedup.plans.api import router as plans_router
from joinedup.referrals.api import pathways_router
from joinedup.referrals.api import router as referrals_router
from joinedup.risk.api import router as risk_router

api = NinjaAPI(
    title="joinedup API",
    version="1",
    description="Person-level reads obey the partnership's sharing policy and are audited; "
    "what you may not see answers 404, exactly as if it did not exist.",
    auth=[SessionWithMfa(), BearerToken()],
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("/agencies", agencies_router)
api.add_router("/people", people_router)
api.add_router("/crisis", crisis_router)
api.add_router("/referrals", referrals_router)
api.add_router("/pathways", pathways_router)
api.add_router("/forums", forums_router)
api.add_router("/actions", actions_router)
api.add_router("/plans", plans_router)
api.add_router("/risk", risk_router)


def urlpatterns() -> list[URLPattern | URLResolver]:
    """The API's URLs, exempt from the page sign-in redirect: the API answers 401 itself."""
    patterns, _, _ = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # type: ignore[attr-defined]
            pattern.callback.mfa_required = False  # type: ignore[attr-defined]
    return list(patterns)
