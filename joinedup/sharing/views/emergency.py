"""Emergency (break-glass) access: finding a person by NHS number, asking for a grant with a fresh
MFA code, and ending it early. Roles that may not ask, and people who do not exist, get a 404."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.accounts.actors import request_actor
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, PermissionDenied, ValidationFailed
from joinedup.core.formatting import format_nhs_number
from joinedup.core.forms import add_domain_errors
from joinedup.sharing import policy, services
from joinedup.sharing.forms.governance import EmergencyFindForm, EmergencyRequestForm
from joinedup.sharing.selectors import governance as selectors

_FOUND = "emergency_access_found"  # session key: the person last found by NHS number, and the number


def _may_request(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    if not services.may_request(actor):
        raise Http404("Not found")
    return actor


@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    actor = _may_request(request)
    form = EmergencyFindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        nhs_number = form.cleaned_data["nhs_number"]
        person_id = selectors.emergency_find(actor, nhs_number=nhs_number, route=request.path)
        if person_id is None:
            form.add_error("nhs_number", "No one with that NHS number is known to the partnership: check the number")
        else:
            # Kept in the session, not the address, so the number stays out of logs and history.
            request.session[_FOUND] = {"person_id": str(person_id), "nhs_number": nhs_number}
            return redirect("sharing:emergency_request", person_id=person_id)
    context = {"title": "Find a person for emergency access", "form": form, "error_count": len(form.errors)}
    return render(request, "sharing/emergency_find.jinja", context)


@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = _may_request(request)
    found = request.session.get(_FOUND) or {}
    visible = selectors.visible_for_direct_care(actor, person_id=person_id)
    # Someone the actor cannot see is reachable here only straight from the (audited) NHS number
    # search, so this page never confirms that an unseen person exists.
    person = (
        selectors.emergency_target(person_id=person_id) if visible or found.get("person_id") == str(person_id) else None
    )
    if person is None:
        raise Http404("No such person")
    if policy.emergency_grant_for(actor, person_id) is not None:
        return redirect("people:detail", person_id=person_id)
    form = EmergencyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.emergency_grant_request(actor, person=person, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        except PermissionDenied:
            raise Http404("Not found") from None
        else:
            request.session.pop(_FOUND, None)
            return redirect("people:detail", person_id=person_id)
    context = {
        "title": "Get emergency access",
        "form": form,
        "error_count": len(form.errors),
        "nhs_number": format_nhs_number(found.get("nhs_number")) if found.get("person_id") == str(person_id) else "",
        "back_href": reverse("people:detail", kwargs={"person_id": person_id})
        if visible
        else reverse("sharing:emergency_find"),
        "back_text": "Back to the person" if visible else "Find a person",
    }
    return render(request, "sharing/emergency_request.jinja", context)


@require_POST
def end_access(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    grant = policy.emergency_grant_for(actor, person_id)
    if grant is None:
        raise Http404("No emergency access in force")
    try:
        services.emergency_grant_end(actor, grant_id=grant.pk)
    except NotFound:
        raise Http404("No emergency access in force") from None
    messages.success(request, "Your emergency access has ended")
    if selectors.visible_for_direct_care(actor, person_id=person_id):
        return redirect("people:detail", person_id=person_id)
    return redirect("web:home")
