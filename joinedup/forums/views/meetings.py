"""Setting a forum's cadence, moving or cancelling a meeting, and the meetings as .ics files."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.accounts.actors import request_actor
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.forms import add_domain_errors, keep_after_stale
from joinedup.forums import ics
from joinedup.forums import meeting_presenters as presenters
from joinedup.forums.forms_meetings import CancelForm, MoveForm, SeriesForm
from joinedup.forums.models import Meeting
from joinedup.forums.selectors import meetings as selectors
from joinedup.forums.services import meetings as services
from joinedup.forums.views.forum_pages import form_page, forum_view

# Where the services name a field differently from the form.
RENAMES = {"first_starts_at": "first_date", "starts_at": "day", "ends_at": "end_time"}


def _errors(form: forms.BaseForm, error: ValidationFailed) -> None:
    renamed: dict[str, list[str]] = {}
    for name, found in error.errors.items():
        renamed.setdefault(RENAMES.get(name, name), []).extend(found)
    add_domain_errors(form, ValidationFailed(renamed))


def _changeable(request: HttpRequest, meeting_id: uuid.UUID) -> Meeting:
    actor = request_actor(request)
    try:
        meeting = selectors.meeting_get(actor, meeting_id=meeting_id)
    except NotFound:
        raise Http404("No such meeting") from None
    if not selectors.may_change_meeting(actor, meeting):
        raise DjangoPermissionDenied("Only the forum's organiser can change a meeting still to come")
    return meeting


def _meeting_page(
    request: HttpRequest, template: str, meeting: Meeting, form: forms.BaseForm, title: str
) -> HttpResponse:
    context: dict[str, Any] = {
        "title": title,
        "forum": meeting.forum,
        "meeting": presenters.meeting_line(meeting),
        "form": form,
        "error_count": len(form.errors),
    }
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest, forum_id: uuid.UUID) -> HttpResponse:
    view = forum_view(request, forum_id, organiser=True)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = ("cadence", "first_starts_at", "duration_minutes", "venue", "video_link")
        try:
            services.series_create(request_actor(request), forum_id=forum_id, **{k: data[k] for k in fields})
        except ValidationFailed as error:
            _errors(form, error)
        else:
            messages.success(request, "The meetings for the next 3 months are in the calendar; members will be invited")
            return redirect("forums:detail", forum_id=forum_id)
    return form_page(request, "forums/meeting_series_new.jinja", view, form, title="Set when the forum meets")


@require_http_methods(["GET", "POST"])
def meeting_move(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _changeable(request, meeting_id)
    initial = {"version": meeting.version, "venue": meeting.venue, "video_link": meeting.video_link}
    form = MoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_move(
                request_actor(request),
                meeting_id=meeting_id,
                expected_version=data["version"],
                **{k: data[k] for k in ("starts_at", "ends_at", "venue", "video_link")},
            )
        except StaleVersion as error:
            keep_after_stale(form, error)
        except ValidationFailed as error:
            _errors(form, error)
        else:
            messages.success(request, "The meeting has been moved; members will get the new time")
            return redirect("forums:detail", forum_id=meeting.forum_id)
    return _meeting_page(request, "forums/meeting_move.jinja", meeting, form, "Move the meeting")


@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _changeable(request, meeting_id)
    form = CancelForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                request_actor(request),
                meeting_id=meeting_id,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except StaleVersion as error:
            keep_after_stale(form, error)
        except ValidationFailed as error:
            _errors(form, error)
        else:
            messages.success(request, "The meeting has been cancelled; members will be told")
            return redirect("forums:detail", forum_id=meeting.forum_id)
    return _meeting_page(request, "forums/meeting_cancel.jinja", meeting, form, "Cancel the meeting")


def _ics(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def meeting_ics(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    try:
        meeting = selectors.meeting_get(request_actor(request), meeting_id=meeting_id)
    except NotFound:
        raise Http404("No such meeting") from None
    return _ics(ics.calendar([meeting]), f"meeting-{meeting.pk}.ics")


@require_GET
def forum_ics(request: HttpRequest, forum_id: uuid.UUID) -> HttpResponse:
    try:
        forum, meetings = selectors.forum_meetings(request_actor(request), forum_id=forum_id)
    except NotFound:
        raise Http404("No such forum") from None
    return _ics(ics.calendar(meetings), f"forum-{forum.pk}-meetings.ics")
