"""The home page (each role's work queue), the accessibility statement and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.accounts.actors import request_actor
from joinedup.web.home import panels


def home(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    context = {"title": "Home", "panels": panels(actor, route=request.path)}
    return render(request, "web/home.jinja", context)


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.jinja", {"title": "Accessibility statement"})


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "web/error.jinja", {"title": title, "text": text}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Sorry, there is a problem with that request", "Go back and try again.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "You cannot do that", "Your role does not allow this. Ask your manager if you need it.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. It may also be something you cannot see.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you saw was recorded as changed.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "Your form had expired",
        "For security, forms stop working after a while. Go back, reload the page and try again.",
    )
