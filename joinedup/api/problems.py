"""Errors as RFC 9457 problem details (application/problem+json), naming the field at fault."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from joinedup.core.errors import DomainError, StaleVersion, ValidationFailed

TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Changed by someone else",
    413: "Too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Something went wrong",
}


def _body(status: int, detail: str, **extra: Any) -> dict[str, Any]:
    return {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail, **extra}


def problem(api: NinjaAPI, request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    response = api.create_response(request, _body(status, detail, **extra), status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def problem_response(status: int, detail: str, *, field: str | None = None) -> HttpResponse:
    """A problem response built outside an exception handler (the field at fault named in `errors`)."""
    extra = {"errors": [{"field": field, "message": detail}]} if field else {}
    response = JsonResponse(_body(status, detail, **extra), status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def _field(loc: list[Any]) -> str:
    return ".".join(str(part) for part in loc if part not in ("body", "query", "path", "payload"))


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": _field(list(e.get("loc", []))), "message": e.get("msg", "Invalid")} for e in exc.errors]
        first = errors[0] if errors else {"field": "", "message": "Invalid input"}
        detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return problem(api, request, 422, detail, errors=errors)

    @api.exception_handler(ValidationFailed)
    def failed(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
        errors = [{"field": f, "message": m} for f, msgs in exc.errors.items() for m in msgs]
        return problem(api, request, 422, exc.message, errors=errors)

    @api.exception_handler(StaleVersion)
    def stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
        response = problem(api, request, 412, exc.message, current_version=exc.current_version)
        response["ETag"] = f'W/"{exc.current_version}"'
        return response

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return problem(api, request, exc.status, exc.message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, 404, "Not found")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(api, request, 401, "Sign in, or send a valid bearer token")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, exc.status_code, str(exc))
