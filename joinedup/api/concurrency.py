"""Optimistic locking over HTTP: a version travels as an ETag, comes back in If-Match, and a stale
one is refused with 412 (DESIGN §4 "No lost updates")."""

from django.http import HttpRequest, HttpResponse

from joinedup.core.errors import ValidationFailed


def etag(version: int) -> str:
    return f'W/"{version}"'


def with_etag(response: HttpResponse, version: int) -> HttpResponse:
    response["ETag"] = etag(version)
    return response


def expected_version(request: HttpRequest) -> int:
    """The version the client last saw, from If-Match; required on every update."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise ValidationFailed({"If-Match": "Send If-Match with the ETag you last read, so no one's changes are lost"})
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationFailed({"If-Match": 'If-Match must be an ETag this API gave you, like W/"3"'})
    return int(value)
