"""The crisis pages: the live board, log a contact, a contact with triage, first response, link
or create the person, refer onwards, and close."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.accounts.actors import request_actor
from joinedup.accounts.middleware import not_activity
from joinedup.core import clock
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.formatting import format_datetime
from joinedup.core.forms import add_domain_errors, keep_after_stale
from joinedup.crisis import presenters, rules, selectors, services
from joinedup.crisis.forms import (
    CloseForm,
    LinkExistingForm,
    LinkSearchForm,
    LogForm,
    NewPersonForm,
    ReferForm,
    TriageForm,
    VersionForm,
)
from joinedup.crisis.selectors import ContactView


def _require_worker(request: HttpRequest) -> None:
    if not rules.may_work_contacts(request_actor(request)):
        raise Http404("Not found")


def _contact(request: HttpRequest, contact_id: uuid.UUID) -> ContactView:
    try:
        return selectors.contact_get(request_actor(request), contact_id=contact_id, route=request.path)
    except NotFound:
        raise Http404("No such contact") from None


def _own(request: HttpRequest, contact_id: uuid.UUID) -> ContactView:
    """A contact the worker may change: their agency's. Others' contacts are not offered at all."""
    _require_worker(request)
    view = _contact(request, contact_id)
    if view.record.recorded_by_id != request_actor(request).agency_id:
        raise Http404("No such contact")
    return view


def _errors(form: forms.BaseForm, error: ValidationFailed, renames: dict[str, str] | None = None) -> None:
    """The service's messages beside the fields that caused them (a service field may be named differently)."""
    renamed: dict[str, list[str]] = {}
    for name, found in error.errors.items():
        renamed.setdefault((renames or {}).get(name, name), []).extend(found)
    add_domain_errors(form, ValidationFailed(renamed))


def _page(request: HttpRequest, template: str, view: ContactView, **context: Any) -> HttpResponse:
    forms_ = [f for f in context.values() if isinstance(f, forms.BaseForm)]
    context.setdefault("error_count", sum(len(f.errors) for f in forms_))
    base = {
        "view": view,
        "contact": view.record,
        "who": presenters.who(view.record, view.person),
        "rows": presenters.contact_rows(view, clock.now()),
    }
    return render(request, template, base | context)


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    _require_worker(request)
    data = selectors.board(request_actor(request), route=request.path)
    context = {
        "title": "Crisis board",
        "rows": presenters.board_rows(data),
        "summary": presenters.board_summary(data),
    }
    return render(request, "crisis/board.jinja", context)


@require_GET
@not_activity  # the board refreshes itself: that is not the worker doing something
def board_rows(request: HttpRequest) -> HttpResponse:
    _require_worker(request)
    data = selectors.board(request_actor(request), route=request.path)
    context = {"rows": presenters.board_rows(data), "summary": presenters.board_summary(data)}
    return render(request, "crisis/_board.jinja", context)


def _person_param(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.GET.get("person", ""))
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    """Log a contact: for an unidentified caller, or (from "find the person") for someone known."""
    _require_worker(request)
    actor = request_actor(request)
    person_id = _person_param(request)
    person = selectors.person_for_log(actor, person_id=person_id, route=request.path) if person_id else None
    if person_id and person is None:
        raise Http404("No such person")
    form = LogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_log(actor, person_id=person_id, **form.service_kwargs())
        except ValidationFailed as error:
            _errors(form, error, {"received_at": "received_time"})
        else:
            messages.success(request, "The contact has been logged")
            return redirect("crisis:detail", contact_id=contact.pk)
    context = {
        "title": "Log a contact",
        "form": form,
        "person": person.record if person else None,
        "error_count": len(form.errors),
    }
    return render(request, "crisis/log.jinja", context)


@require_GET
def find_person(request: HttpRequest) -> HttpResponse:
    """Find a known person to log a contact for (nobody the worker may not see is ever listed)."""
    _require_worker(request)
    search = LinkSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    results = selectors.people_to_link(request_actor(request), query=query, route=request.path)
    context = {"title": "Find the person", "search": search, "query": query, "results": results}
    return render(request, "crisis/find_person.jinja", context)


@require_GET
def detail(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    view = _contact(request, contact_id)
    actor = request_actor(request)
    may_change = rules.may_work_contacts(actor) and view.record.recorded_by_id == actor.agency_id
    return _page(
        request,
        "crisis/detail.jinja",
        view,
        title="Crisis contact",
        why=presenters.why(view.contact),
        referrals=presenters.referral_items(view),
        may_change=may_change,
        respond_form=VersionForm(initial={"version": view.record.version}),
    )


@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    view = _own(request, contact_id)
    contact = view.record
    if not contact.is_open:
        messages.info(request, "This contact is closed, so it cannot be changed")
        return redirect("crisis:detail", contact_id=contact_id)
    initial = {name: getattr(contact, name) for name in TriageForm.base_fields if name != "version"}
    form = TriageForm(request.POST or None, initial={**initial, "version": contact.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.contact_update(request_actor(request), contact_id=contact_id, expected_version=version, **data)
        except StaleVersion as error:
            keep_after_stale(form, error)
        except ValidationFailed as error:
            _errors(form, error)
        else:
            messages.success(request, "The contact has been updated")
            return redirect("crisis:detail", contact_id=contact_id)
    return _page(request, "crisis/triage.jinja", view, title="Triage the contact", form=form)


@require_POST
def respond(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    _require_worker(request)
    form = VersionForm(request.POST)
    try:
        version = form.cleaned_data["version"] if form.is_valid() else None
        services.contact_respond(request_actor(request), contact_id=contact_id, expected_version=version)
    except NotFound:
        raise Http404("No such contact") from None
    except (StaleVersion, ValidationFailed) as error:
        messages.info(request, error.message)
    else:
        messages.success(request, f"First response recorded at {format_datetime(clock.now())}")
    return redirect("crisis:detail", contact_id=contact_id)


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    view = _own(request, contact_id)
    contact = view.record
    if contact.person_id is not None:
        messages.info(request, "This contact is already linked to a person")
        return redirect("crisis:detail", contact_id=contact_id)
    actor = request_actor(request)
    search = LinkSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    initial = {"version": contact.version}
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action")
    existing = LinkExistingForm(posted if action == "existing" else None, initial=initial)
    new = NewPersonForm(posted if action == "new" else None, initial=initial)
    chosen = existing if action == "existing" else new
    if posted is not None and chosen.is_valid():
        data = dict(chosen.cleaned_data)
        version = data.pop("version")
        try:
            if action == "existing":
                services.contact_link_person(
                    actor, contact_id=contact_id, expected_version=version, person_id=data["person_id"]
                )
            else:
                services.contact_link_person(
                    actor, contact_id=contact_id, expected_version=version, new_person=services.NewPerson(**data)
                )
        except StaleVersion as error:
            keep_after_stale(chosen, error)
        except ValidationFailed as error:
            _errors(chosen, error)
        else:
            messages.success(request, "The contact is now linked to the person")
            return redirect("crisis:detail", contact_id=contact_id)
    results = selectors.people_to_link(actor, query=query, route=request.path)
    return _page(
        request,
        "crisis/link.jinja",
        view,
        title="Who was the contact about?",
        search=search,
        query=query,
        results=results,
        existing=existing,
        new=new,
    )


# The service's names for the referral's fields, as the form names them.
REFER_FIELDS = {"pathway_id": "route", "urgency_id": "route", "consent_id": "consent", "agreement_id": "agreement"}


def _refer_form(request: HttpRequest, view: ContactView, data: Any) -> ReferForm:
    actor = request_actor(request)
    person_id = view.record.person_id
    consents = selectors.consents_in_force_for(actor, person_id=person_id, route=request.path) if person_id else []
    return ReferForm(
        data,
        initial={"version": view.record.version, "attach_contact": True, "reason": view.record.presenting_need},
        pathways=selectors.pathways(actor),
        consents=[(str(s.record.pk), f"Given on {s.record.starts_at:%d %B %Y}") for s in consents],
        agreements=[(str(a.pk), a.title) for a in selectors.agreements(actor)],
    )


@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    view = _own(request, contact_id)
    contact = view.record
    if not contact.is_open or contact.person_id is None:
        messages.info(
            request,
            "Link the contact to a person before you refer them onwards"
            if contact.is_open
            else "This contact is closed, so no referral can be made from it",
        )
        return redirect("crisis:detail", contact_id=contact_id)
    form = _refer_form(request, view, request.POST or None)
    checking = False
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            checking = "edit" not in request.POST  # check your answers before the referral is sent
        else:
            data = form.service_kwargs()
            try:
                referral = services.contact_refer(
                    request_actor(request),
                    contact_id=contact_id,
                    expected_version=form.cleaned_data["version"],
                    **data,
                )
            except StaleVersion as error:
                keep_after_stale(form, error)
            except ValidationFailed as error:
                _errors(form, error, REFER_FIELDS)
            else:
                messages.success(request, f"The referral to {referral.to_agency.name} has been sent")
                return redirect("crisis:detail", contact_id=contact_id)
    answers = _answers(form) if checking else []
    return _page(
        request, "crisis/refer.jinja", view, title="Refer onwards", form=form, checking=checking, answers=answers
    )


def _answers(form: ReferForm) -> list[dict[str, Any]]:
    """Check your answers: each chosen value in words."""
    labels = {name: dict(form.fields[name].choices) for name in ("route", "sharing_basis", "consent", "agreement")}  # type: ignore[attr-defined]
    data = form.cleaned_data
    rows = [
        ("Referring to", labels["route"].get(data["route"], "")),
        ("Why", data["reason"]),
        ("What matters to the person", data["what_matters"]),
        ("Risks", data["risk_summary"]),
        ("Lawful basis for sharing", labels["sharing_basis"].get(data["sharing_basis"], "")),
        ("Consent", labels["consent"].get(data["consent"], "") if data["consent"] else ""),
        ("Agreement", labels["agreement"].get(data["agreement"], "") if data["agreement"] else ""),
        ("Why sharing without consent is justified", data["sharing_note"]),
        ("Send this contact's details", "Yes" if data["attach_contact"] else "No"),
    ]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows if v]


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    view = _own(request, contact_id)
    contact = view.record
    if not contact.is_open:
        messages.info(request, "This contact is already closed")
        return redirect("crisis:detail", contact_id=contact_id)
    initial = {
        "version": contact.version,
        "triage_outcome": contact.triage_outcome,
        "outcome_detail": contact.outcome_detail,
    }
    form = CloseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.contact_close(request_actor(request), contact_id=contact_id, expected_version=version, **data)
        except StaleVersion as error:
            keep_after_stale(form, error)
        except ValidationFailed as error:
            _errors(form, error)
        else:
            messages.success(request, "The contact has been closed and has left the board")
            return redirect("crisis:board")
    return _page(request, "crisis/close.jinja", view, title="Close the contact", form=form)
