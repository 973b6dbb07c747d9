"""The partnership's agency directory: who is in it and how to reach them."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.agencies import selectors
from joinedup.agencies.models import AgencyKind
from joinedup.core.errors import NotFound


def directory(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in AgencyKind.values:
        kind = ""
    agencies = list(selectors.agency_list(kind=kind or None))
    context = {"title": "Agencies in the partnership", "agencies": agencies, "kinds": AgencyKind.choices, "kind": kind}
    return render(request, "agencies/directory.jinja", context)


def detail(request: HttpRequest, agency_id: uuid.UUID) -> HttpResponse:
    try:
        agency = selectors.agency_get(agency_id=agency_id)
    except NotFound:
        raise Http404("No such agency") from None
    return render(request, "agencies/detail.jinja", {"title": agency.name, "agency": agency})
