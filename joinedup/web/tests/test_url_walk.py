"""Every route needs a signed-in user, except the few that must work before signing in."""

import uuid
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Routes anyone may open: signing in and its recovery, the accessibility statement, the API
# schema (no data), and the API itself (which answers 401 on its own, tested below).
PUBLIC = {
    "account/sign-in",
    "account/sign-out",
    "account/signed-out",
    "account/password/reset",
    "account/password/reset/sent",
    "account/password/reset/<uidb64>/<token>",
    "account/password/reset/done",
    "accessibility",
    # The service directory's open data (HSDS 3 API): public information, read-only, no person-level data.
    "hsds/",
    "hsds/services",
    "hsds/services/<str:service_id>",
    "hsds/organizations",
    "hsds/organizations/<str:organization_id>",
}

_SAMPLES = {"uuid": str(uuid.uuid4()), "int": "1", "str": "sample", "slug": "sample", "path": "sample"}


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        else:
            yield route, entry


def _concrete(route: str) -> str:
    path = route
    for converter, sample in _SAMPLES.items():
        while f"<{converter}:" in path:
            start = path.index(f"<{converter}:")
            path = path[:start] + sample + path[path.index(">", start) + 1 :]
    while "<" in path:  # untyped <name> segments are str
        start = path.index("<")
        path = path[:start] + "sample" + path[path.index(">", start) + 1 :]
    return "/" + path.lstrip("^").rstrip("$")


def _is_api(route: str) -> bool:
    return route.startswith("api/")


ROUTES = sorted(_routes(), key=lambda r: r[0])


def test_only_the_allow_list_is_open_to_anonymous_users():
    open_routes = {route for route, pattern in ROUTES if getattr(pattern.callback, "login_required", True) is False}
    assert {r for r in open_routes if not _is_api(r)} == PUBLIC


def test_api_root_serves_nothing(client):
    # ninja's landing page (we publish no docs UI); it exists only so the schema can name its prefix.
    assert client.get("/api/v1/").status_code == 404


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[r for r, _ in ROUTES])
def test_anonymous_request_is_sent_to_sign_in(client, route, pattern):
    if route in PUBLIC or route.endswith("openapi.json") or route == "api/v1/":
        pytest.skip("public by design")
    response = client.get(_concrete(route))
    if _is_api(route):
        if response.status_code == 405:  # an action route: ninja refuses the method before auth
            response = client.post(_concrete(route), data="{}", content_type="application/json")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in?next=")
