"""The directory as a public, read-only HSDS 3 API at /hsds/: no sign-in, and no person-level data.

Shapes follow the HSDS 3.0 API (Open Referral, CC-BY-SA-4.0): GET / (about this API), GET /services
and /organizations (pages: total_items, total_pages, page_number, size, first_page, last_page,
empty, contents), GET /services/{id} and /organizations/{id} (fully nested). Errors are RFC 9457
problems naming the parameter at fault; anything but GET or HEAD is 405.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from joinedup.agencies.directory import hsds, selectors
from joinedup.core.errors import NotFound

MAX_PER_PAGE = 200
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed"}


class BadParameter(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def _json(data: Any, status: int = 200, content_type: str = "application/json") -> HttpResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = content_type
    # Public information: any site may read it, and no cookies are involved.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _problem(status: int, detail: str, *, field: str | None = None) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": TITLES[status], "status": status, "detail": detail}
    if field:
        body["errors"] = [{"field": field, "message": detail}]
    return _json(body, status, "application/problem+json")


def public[V: Callable[..., HttpResponse]](view: V) -> V:
    """Open to anyone (no sign-in, no MFA, no CSRF token: nothing here writes), GET and HEAD only."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = _problem(405, "This directory is read-only: use GET")
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return _problem(400, f"{error.name}: {error.message}", field=error.name)
        except NotFound as error:
            return _problem(404, error.message)

    wrapper = login_not_required(csrf_exempt(wrapper))
    wrapper.mfa_required = False  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


# -- query parameters ---------------------------------------------------------------------------


def _int(request: HttpRequest, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"should be a whole number, not {raw!r}") from None
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise BadParameter(name, f"should be {bounds}")
    return value


def _bool(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadParameter(name, "should be true or false")


def _uuid(request: HttpRequest, name: str) -> uuid.UUID | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadParameter(name, f"should be an HSDS id (a UUID), not {raw!r}") from None


def _datetime(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "+"))  # an unescaped "+" arrives as a space
    except ValueError:
        raise BadParameter(name, f"should be a date and time like 2026-01-31T09:00:00Z, not {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _paging(request: HttpRequest) -> dict[str, int]:
    return {"page": _int(request, "page", 1, 1), "per_page": _int(request, "per_page", 50, 1, MAX_PER_PAGE)}


def _search(request: HttpRequest) -> str:
    return request.GET.get("search", "") or request.GET.get("text", "")


# -- endpoints ----------------------------------------------------------------------------------


@public
def about(request: HttpRequest) -> HttpResponse:
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": hsds.PROFILE,
            "openapi_url": OPENAPI_URL,
            "description": "The partnership's service directory: public information about services, "
            "never about a person.",
        }
    )


@public
def services(request: HttpRequest) -> HttpResponse:
    page = selectors.service_list(
        **_paging(request),
        search=_search(request),
        taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
        taxonomy_id=_uuid(request, "taxonomy_id"),
        organization_id=_uuid(request, "organization_id"),
        modified_after=_datetime(request, "modified_after"),
        postcode=request.GET.get("postcode", ""),
        full=_bool(request, "full") or _bool(request, "full_service"),
    )
    return _json(page.as_hsds())


@public
def service(request: HttpRequest, service_id: str) -> HttpResponse:
    return _json(selectors.service_get(service_id=service_id))


@public
def organizations(request: HttpRequest) -> HttpResponse:
    page = selectors.organization_list(
        **_paging(request), search=_search(request), full=_bool(request, "full_service") or _bool(request, "full")
    )
    return _json(page.as_hsds())


@public
def organization(request: HttpRequest, organization_id: str) -> HttpResponse:
    return _json(selectors.organization_get(organization_id=organization_id))
