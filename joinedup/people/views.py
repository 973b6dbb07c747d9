"""Person search, the person page and the forms that add to a person's record."""

import uuid

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from joinedup.accounts.actors import request_actor
from joinedup.accounts.rules import Permission, has_permission
from joinedup.core.errors import ValidationFailed
from joinedup.core.forms import add_domain_errors
from joinedup.people import presenters, selectors, services
from joinedup.people.forms import (
    AddressForm,
    ContactDetailForm,
    InvolvementEndForm,
    LeadAgencyForm,
    PersonForm,
    SearchForm,
)
from joinedup.people.pages import person_or_404
from joinedup.sharing.policy import PersonAccess
from joinedup.sharing.presenters import consent as sharing_presenters


def _require(request: HttpRequest, permission: Permission) -> None:
    if not has_permission(request_actor(request), permission):
        raise Http404("Not found")


def search(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.SEARCH_PEOPLE)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page_number = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    page = selectors.person_search(request_actor(request), query=query, page=page_number, route=request.path)
    context = {"title": "People", "form": form, "query": query, "page": page}
    return render(request, "people/search.jinja", context)


def detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    access = person_or_404(request, person_id)
    context = {
        "title": access.identity.record.full_name if access.identity else "Person",
        "access": access,
        "identity_rows": presenters.identity_rows(access),
        "identity_why": presenters.section_why(
            [*filter(None, [access.identity]), *access.section("aliases"), *access.section("identifiers")]
        ),
        "contact_rows": presenters.contact_rows(access),
        "contact_why": presenters.section_why([*access.section("contact_details"), *access.section("addresses")]),
        "team": presenters.team_around(access, actor.agency_id),
        "lead": presenters.lead_agency(access),
        "lead_history": presenters.lead_history(access),
        "may_agree_lead": presenters.may_agree_lead(access, actor.agency_id),
        "other_involvements": presenters.team_around(access, actor.agency_id, current=False),
        "may_record": has_permission(actor, Permission.RECORD_PEOPLE),
        "consents": sharing_presenters.consent_items(access.section("consents"), actor.agency_id, presenters.why),
        "case_notes": sharing_presenters.case_note_items(access.section("case_notes"), presenters.why),
        "referrals": access.section("referrals"),
        "actions": access.section("actions"),
        "plans": access.section("plans"),
        "risk_assessments": access.section("risk_assessments"),
        "risk_flags": access.section("risk_flags"),
    }
    return render(request, "people/detail.jinja", context)


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    _require(request, Permission.RECORD_PEOPLE)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(request_actor(request), **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} has been added, with your agency working with them")
            return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/create.jinja", {"title": "Add a person", "form": form, "error_count": len(form.errors)}
    )


def _record_form(request: HttpRequest, access: PersonAccess, form: forms.Form, title: str) -> HttpResponse:
    """A form that adds to one person's record, under the person's name, with any errors summarised."""
    context = {
        "title": title,
        "form": form,
        "person_name": access.name,
        "person_id": access.person.pk,
        "error_count": len(form.errors),
    }
    return render(request, "people/add_record.jinja", context)


def _add_record(
    request: HttpRequest, person_id: uuid.UUID, form_class: type, service: object, what: str
) -> HttpResponse:
    """The shared shape of "add a contact detail / an address" pages."""
    _require(request, Permission.RECORD_PEOPLE)
    access = person_or_404(request, person_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(request_actor(request), person=access.person, **form.cleaned_data)  # type: ignore[operator]
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"The {what} has been added")
            return redirect("people:detail", person_id=person_id)
    return _record_form(request, access, form, f"Add {what}")


@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    return _add_record(request, person_id, ContactDetailForm, services.contact_detail_add, "contact detail")


@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    return _add_record(request, person_id, AddressForm, services.address_add, "address")


@require_http_methods(["GET", "POST"])
def involvement_end(request: HttpRequest, person_id: uuid.UUID, involvement_id: uuid.UUID) -> HttpResponse:
    _require(request, Permission.RECORD_PEOPLE)
    access = person_or_404(request, person_id)
    # Only the agency's own involvements can be ended here; others' are not offered at all.
    actor = request_actor(request)
    if not any(
        s.record.pk == involvement_id and s.record.agency_id == actor.agency_id for s in access.section("involvements")
    ):
        raise Http404("No such involvement")
    form = InvolvementEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.involvement_end(request_actor(request), involvement_id=involvement_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "Your agency's involvement has been ended")
            return redirect("people:detail", person_id=person_id)
    return _record_form(request, access, form, "End your agency's involvement")


@require_http_methods(["GET", "POST"])
def lead_agency(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """An agency working with the person records which involved agency leads from now."""
    _require(request, Permission.RECORD_PEOPLE)
    actor = request_actor(request)
    access = person_or_404(request, person_id)
    if not presenters.may_agree_lead(access, actor.agency_id):
        raise Http404("Not found")
    # Only agencies the user can see working with the person are offered.
    agencies = {str(m.agency_id): m.agency for m in presenters.involved_agencies(access)}
    form = LeadAgencyForm(request.POST or None, agencies=[(pk, a.name) for pk, a in agencies.items()])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.lead_agency_agree(
                actor,
                person=access.person,
                agency=agencies[data["agency"]],
                starts_on=data["starts_on"],
                agreed_by=data["agreed_by"],
                note=data["note"],
            )
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"{agencies[data['agency']].name} is now the lead agency")
            return redirect("people:detail", person_id=person_id)
    return _record_form(request, access, form, "Record the lead agency")
