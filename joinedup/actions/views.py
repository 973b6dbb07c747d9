"""The action pages: my actions, the agency's actions (managers), and one action with its forms."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.accounts.actors import request_actor
from joinedup.actions import presenters, rules, selectors, services
from joinedup.actions.forms import CancelForm, CarryForm, CompleteForm
from joinedup.core import clock
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.forms import add_domain_errors, keep_after_stale


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    rows = presenters.items(selectors.my_actions(request_actor(request), route=request.path), clock.today())
    overdue, still_open, finished = presenters.split(rows)
    context = {"title": "My actions", "overdue": overdue, "still_open": still_open, "finished": finished}
    return render(request, "actions/mine.jinja", context)


@require_GET
def agency(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not rules.may_oversee_agency(actor):
        raise Http404("Not found")
    rows = presenters.items(selectors.agency_actions(actor, route=request.path), clock.today())
    overdue, still_open, _ = presenters.split(rows)
    context = {"title": f"{actor.agency_name}: open actions", "overdue": overdue, "still_open": still_open}
    return render(request, "actions/agency.jinja", context)


FORMS: dict[str, type[forms.Form]] = {"complete": CompleteForm, "carry": CarryForm, "cancel": CancelForm}


def _save(request: HttpRequest, action_id: uuid.UUID, doing: str, data: dict[str, Any]) -> str:
    actor, version = request_actor(request), data["version"]
    if doing == "complete":
        services.action_complete(actor, action_id=action_id, note=data["note"], expected_version=version)
        return "The action is marked as done"
    if doing == "carry":
        services.action_carry_forward(
            actor,
            action_id=action_id,
            reason=data["reason"],
            new_due_on=data["new_due_on"],
            note=data["note"],
            expected_version=version,
        )
        return "The action has been carried forward"
    services.action_cancel(actor, action_id=action_id, reason=data["reason"], expected_version=version)
    return "The action has been cancelled"


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    try:
        view = selectors.action_get(actor, action_id, route=request.path)
    except NotFound:
        raise Http404("No such action") from None
    action = view.action.record
    may_change = rules.may_change(actor, action) and action.status == "open"
    doing = request.POST.get("do", "") if request.method == "POST" else ""
    if doing and not may_change:
        raise Http404("No such action")
    bound = {
        name: form_class(request.POST if name == doing else None, prefix=name, initial={"version": action.version})
        for name, form_class in FORMS.items()
    }
    form = bound.get(doing)
    if form is not None and form.is_valid():
        try:
            messages.success(request, _save(request, action_id, doing, form.cleaned_data))
        except StaleVersion as error:
            keep_after_stale(form, error)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            return redirect("actions:detail", action_id=action_id)
    context = {
        "title": "Action",
        "action": action,
        "person_name": view.person_name,
        "rows": presenters.detail_rows(action, clock.today()),
        "carries": presenters.carry_items(view.carries),
        "may_change": may_change,
        "forms": bound,
        "error_count": len(form.errors) if form is not None else 0,
        "open_form": doing,
    }
    return render(request, "actions/detail.jinja", context)
