"""`Idempotency-Key` on API POSTs: a retry of the same request returns the first answer, and never
repeats the write. The reply is stored in the same transaction as the write it reports."""

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.responses import NinjaJSONEncoder

from joinedup.api.models import IdempotentRequest
from joinedup.api.problems import problem_response

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def _fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(request.body).hexdigest()


def _replay(stored: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(stored.body, status=stored.status, content_type=stored.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _check(stored: IdempotentRequest, request: HttpRequest) -> HttpResponse:
    if (stored.method, stored.path, stored.fingerprint) != (request.method, request.path, _fingerprint(request)):
        return problem_response(422, "This Idempotency-Key was already used for a different request", field=HEADER)
    if stored.status is None:
        return problem_response(409, "A request with this Idempotency-Key is still being processed: retry shortly")
    return _replay(stored)


def as_response(result: Any) -> HttpResponse:
    """An operation's result as a response: a response as is, `(status, data)` or `data` as JSON."""
    if isinstance(result, HttpResponse):
        return result
    status, data = result if isinstance(result, tuple) else (200, result)
    return JsonResponse(data, status=status, encoder=NinjaJSONEncoder, safe=False)


def idempotent[F: Callable[..., Any]](view: F) -> F:
    """Wrap a ninja operation so a repeated Idempotency-Key replays the first response.

    The operation returns `(status, data)` (or a response); validate `data` against its schema
    yourself, as ninja passes a returned response through unchanged.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return as_response(view(request, *args, **kwargs))
        if len(key) > MAX_KEY_LENGTH:
            return problem_response(422, f"{HEADER} must be at most {MAX_KEY_LENGTH} characters", field=HEADER)
        user_id: Any = request.user.pk  # authenticated by the API before any operation runs
        stored = IdempotentRequest.objects.filter(user_id=user_id, key=key).first()
        if stored is not None:
            return _check(stored, request)
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    user_id=user_id,
                    key=key,
                    method=request.method or "",
                    path=request.path,
                    fingerprint=_fingerprint(request),
                )
                response = as_response(view(request, *args, **kwargs))
                if response.status_code >= 500 or response.status_code in (401, 403, 409, 412):
                    # Not an answer worth replaying: let the client retry for real.
                    transaction.set_rollback(True)
                    return response
                record.status = response.status_code
                record.body = response.content.decode()
                record.content_type = response.get("Content-Type", "application/json")
                record.save(update_fields=["status", "body", "content_type"])
                return response
        except IntegrityError:
            # A twin request got there first; once it committed, replay its answer.
            stored = IdempotentRequest.objects.filter(user_id=user_id, key=key).first()
            if stored is None:
                raise
            return _check(stored, request)

    return wrapper  # type: ignore[return-value]


def not_found(detail: str) -> HttpResponse:
    """A 404 problem answered rather than raised: under an Idempotency-Key a raise would roll back the
    denied access event with everything else (the body is the one the API's 404 handler writes)."""
    return problem_response(404, detail)
