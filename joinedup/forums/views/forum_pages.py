"""The forums list, a forum's page, and the organiser's pages for its details and member agencies."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.accounts.actors import request_actor
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.core.forms import add_domain_errors
from joinedup.forums import meeting_presenters as presenters
from joinedup.forums import rules
from joinedup.forums.forms_meetings import ForumDetailsForm, MemberAddForm, MemberContactForm, MemberEndForm
from joinedup.forums.selectors import meetings as selectors
from joinedup.forums.selectors.meetings import ForumView
from joinedup.forums.services import forum_details as services
from joinedup.sharing.models import ForumMembership


def forum_view(request: HttpRequest, forum_id: uuid.UUID, *, organiser: bool = False) -> ForumView:
    """The forum as the actor may see it: 404 for non-members, 403 on an organiser's page for others."""
    try:
        view = selectors.forum_get(request_actor(request), forum_id=forum_id)
    except NotFound:
        raise Http404("No such forum") from None
    if organiser and not view.organises:
        raise DjangoPermissionDenied("Only the forum's chair or coordinator can do this")
    return view


def form_page(
    request: HttpRequest, template: str, view: ForumView, form: forms.BaseForm, **context: Any
) -> HttpResponse:
    base = {"forum": view.forum, "form": form, "error_count": len(form.errors)}
    return render(request, template, base | context)


@require_GET
def forum_list(request: HttpRequest) -> HttpResponse:
    forums = selectors.forum_list(request_actor(request))
    return render(request, "forums/forum_list.jinja", {"title": "Forums", "forums": forums})


@require_GET
def forum_detail(request: HttpRequest, forum_id: uuid.UUID) -> HttpResponse:
    view = forum_view(request, forum_id)
    context = {
        "title": view.forum.name,
        "view": view,
        "forum": view.forum,
        "rows": presenters.forum_rows(view),
        "members": [presenters.member_line(m) for m in view.members],
        "former": [presenters.member_line(m) for m in view.former],
        "meetings": [presenters.meeting_line(m) for m in view.upcoming],
        "recent": [presenters.meeting_line(m) for m in view.recent],
        "sees_dashboard": rules.sees_dashboard(request_actor(request), view.forum),
    }
    return render(request, "forums/forum_detail.jinja", context)


@require_http_methods(["GET", "POST"])
def forum_edit(request: HttpRequest, forum_id: uuid.UUID) -> HttpResponse:
    view = forum_view(request, forum_id, organiser=True)
    initial = {name: getattr(view.forum, name) for name in ForumDetailsForm.base_fields}
    form = ForumDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_update(request_actor(request), forum_id=forum_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "The forum's details have been saved")
            return redirect("forums:detail", forum_id=forum_id)
    return form_page(request, "forums/forum_edit.jinja", view, form, title="Change the forum's details")


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, forum_id: uuid.UUID) -> HttpResponse:
    view = forum_view(request, forum_id, organiser=True)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(request_actor(request), forum_id=forum_id, agency_id=form.cleaned_data["agency"].pk)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['agency'].name} is now a member, from today")
            return redirect("forums:detail", forum_id=forum_id)
    return form_page(request, "forums/forum_member_add.jinja", view, form, title="Add a member agency")


def _membership(view: ForumView, membership_id: uuid.UUID) -> ForumMembership:
    found = next((m for m in view.members if m.pk == membership_id), None)
    if found is None:
        raise Http404("No such member")
    return found


@require_http_methods(["GET", "POST"])
def member_contact(request: HttpRequest, forum_id: uuid.UUID, membership_id: uuid.UUID) -> HttpResponse:
    view = forum_view(request, forum_id, organiser=True)
    m = _membership(view, membership_id)
    initial = {
        "representative": m.representative_id,
        "confirmed": m.representative_confirmed_on is not None,
        "contact_name": m.contact_name,
        "contact_email": m.contact_email,
        "contact_phone": m.contact_phone,
    }
    form = MemberContactForm(request.POST or None, initial=initial, agency_id=m.agency_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rep = data.pop("representative")
        try:
            services.member_contact_set(
                request_actor(request),
                forum_id=forum_id,
                membership_id=membership_id,
                representative_id=rep.pk if rep else None,
                **data,
            )
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"{m.agency.name}'s representative and contact have been saved")
            return redirect("forums:detail", forum_id=forum_id)
    title = f"Representative and contact for {m.agency.name}"
    return form_page(request, "forums/forum_member_contact.jinja", view, form, title=title, agency=m.agency.name)


@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, forum_id: uuid.UUID, membership_id: uuid.UUID) -> HttpResponse:
    view = forum_view(request, forum_id, organiser=True)
    m = _membership(view, membership_id)
    form = MemberEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(
                request_actor(request),
                forum_id=forum_id,
                membership_id=membership_id,
                last_day=form.cleaned_data["last_day"],
            )
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"{m.agency.name}'s membership will end as you said")
            return redirect("forums:detail", forum_id=forum_id)
    title = f"End {m.agency.name}'s membership"
    return form_page(request, "forums/forum_member_end.jinja", view, form, title=title, agency=m.agency.name)
