"""Staff pages of the service directory: find the right service, and see one in full."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.agencies.directory import presenters
from joinedup.agencies.directory.forms import DirectorySearchForm
from joinedup.agencies.directory.models import Service
from joinedup.agencies.directory.search import ServiceMatch, searchable_services, service_opening, service_search
from joinedup.core import clock


def search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    criteria = form.cleaned_data if form.is_bound and valid else {}
    now = clock.now()
    matches = (
        service_search(
            need=criteria.get("need", ""),
            area=criteria.get("area", ""),
            age=criteria.get("age"),
            hide_closed=criteria.get("open_now", False),
            at=now,
        )
        if valid
        else []
    )
    context = {
        "title": "Find a service",
        "form": form,
        "searched": form.is_bound and valid,
        "cards": [presenters.card(match, now) for match in matches],
        "error_count": len(form.errors),
    }
    return render(request, "directory/search.jinja", context)


def detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = searchable_services(Service.objects.filter(pk=service_id)).first()
    if service is None:
        raise Http404("No such service")
    now = clock.now()
    card = presenters.card(ServiceMatch(service, service_opening(service, now), 0), now)
    return render(request, "directory/detail.jinja", {"title": service.name, "card": card})
