"""The persona switcher: try any demo role without MFA. Routed only in DEMO_MODE (ADR 0002)."""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from joinedup.accounts.middleware import mfa_not_required
from joinedup.accounts.models import User
from joinedup.accounts.services import session_track
from joinedup.demo import services


@login_not_required
@mfa_not_required
@require_http_methods(["GET", "POST"])
def personas(request: HttpRequest) -> HttpResponse:
    if not settings.DEMO_MODE:  # belt and braces: the URL is not routed outside demo mode either
        raise Http404("Not found")
    if request.method == "POST":
        user = User.objects.filter(username=request.POST.get("username", ""), is_active=True).first()
        if user is None:
            raise Http404("No such persona")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        session_track(user=user, session_key=request.session.session_key or "")
        return redirect("web:home")
    return render(request, "demo/personas.jinja", {"title": "Choose a demo persona", "personas": services.personas()})
