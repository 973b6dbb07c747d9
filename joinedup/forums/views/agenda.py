"""Pages for a meeting's agenda, research, pack, the meeting itself (a task list) and its minutes."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.accounts.actors import request_actor
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.forms import add_domain_errors, keep_after_stale
from joinedup.forums import minutes as minutes_copies
from joinedup.forums import presenters_agenda as presenters
from joinedup.forums import rules
from joinedup.forums.forms_agenda import (
    ActionForm,
    AddForm,
    AttendanceForm,
    CloseForm,
    DiscussionForm,
    LeadForm,
    ResearchForm,
)
from joinedup.forums.models import Meeting, MinutesCopy, MinutesStatus
from joinedup.forums.selectors import agenda as selectors
from joinedup.forums.services import agenda as services
from joinedup.forums.services import meeting_run


def _meeting(request: HttpRequest, meeting_id: uuid.UUID, *, organiser: bool = False) -> Meeting:
    actor = request_actor(request)
    try:
        if organiser:
            return selectors.organised_meeting(actor, meeting_id)
        return selectors.meeting_get(actor, meeting_id)
    except NotFound:
        raise Http404("No such meeting") from None


def _page(request: HttpRequest, template: str, meeting: Meeting, title: str, **context: Any) -> HttpResponse:
    forms_ = [f for f in context.values() if isinstance(f, forms.BaseForm)]
    context.setdefault("error_count", sum(len(f.errors) for f in forms_))
    base = {"title": title, "meeting": meeting, "forum": meeting.forum, "when": presenters.when(meeting)}
    return render(request, template, base | context)


@require_http_methods(["GET", "POST"])
def agenda(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id, organiser=True)
    actor = request_actor(request)
    form = AddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = selectors.candidate_person(actor, meeting, form.cleaned_data["person"])
            services.agenda_add(
                actor,
                meeting=meeting,
                person=person,
                kind=form.cleaned_data["kind"],
                risk_level=form.cleaned_data["risk_level"],
            )
            messages.success(request, f"{person.full_name} added to the agenda")
            return redirect("forums:agenda", meeting_id=meeting.pk)
        except NotFound:
            raise Http404("No such person") from None
        except ValidationFailed as error:
            add_domain_errors(form, error)
    page = selectors.agenda_page(actor, meeting, route=request.path)
    return _page(
        request,
        "forums/agenda_page.jinja",
        meeting,
        "Agenda",
        page=page,
        form=form,
        time_warning=presenters.time_warning(page.time),
        format_date=presenters.format_date,
    )


@require_POST
def agenda_remove(request: HttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id, organiser=True)
    try:
        selectors.case_page(request_actor(request), meeting, item_id, route=request.path)
        services.agenda_remove(request_actor(request), item_id=item_id)
        messages.success(request, "Taken off the agenda")
    except NotFound:
        raise Http404("No such agenda item") from None
    except ValidationFailed as error:
        messages.error(request, error.message)
    return redirect("forums:agenda", meeting_id=meeting.pk)


@require_http_methods(["GET", "POST"])
def research(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    actor = request_actor(request)
    if not rules.is_member(actor, meeting.forum):
        raise Http404("No such meeting")
    posted = ResearchForm(request.POST) if request.method == "POST" else None
    if posted is not None and posted.is_valid():
        data = posted.cleaned_data
        try:
            person = selectors.candidate_person(actor, meeting, data["person"])
            services.research_submit(
                actor,
                meeting=meeting,
                person=person,
                knows=data["knows"],
                involvement=data["involvement"],
                risks=data["risks"],
                expected_version=data["version"] or None,
            )
            messages.success(request, f"Research about {person.full_name} sent")
            return redirect("forums:research", meeting_id=meeting.pk)
        except NotFound:
            raise Http404("No such person") from None
        except ValidationFailed as error:
            add_domain_errors(posted, error)
        except StaleVersion as error:
            keep_after_stale(posted, error)
    lines = selectors.research_lines(actor, meeting, route=request.path)
    rows = presenters.research_forms(lines, posted)
    return _page(request, "forums/agenda_research.jinja", meeting, "Research for the meeting", rows=rows, form=posted)


@require_GET
def pack(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    data = selectors.pack(request_actor(request), meeting, route=request.path)
    return _page(request, "forums/pack.jinja", meeting, "Meeting pack", pack=data)


@require_GET
def run(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id, organiser=True)
    data = selectors.run_page(request_actor(request), meeting, route=request.path)
    return _page(request, "forums/run_tasks.jinja", meeting, "Run the meeting", tasks=presenters.tasks(data))


@require_POST
def confidentiality(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id, organiser=True)
    meeting_run.confidentiality_read(request_actor(request), meeting_id=meeting.pk)
    return redirect("forums:run", meeting_id=meeting.pk)


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id, organiser=True)
    actor = request_actor(request)
    data = selectors.run_page(actor, meeting, route=request.path)
    initial = {f"status_{k}": a.status for k, a in data.attendance.items()}
    initial |= {f"name_{k}": a.attendee_name for k, a in data.attendance.items()}
    form = AttendanceForm(request.POST or None, initial=initial, agencies=data.members)
    if request.method == "POST" and form.is_valid():
        failed = False
        for agency in data.members:
            status = form.cleaned_data[f"status_{agency.pk}"]
            if not status:
                continue
            try:
                name = form.cleaned_data[f"name_{agency.pk}"]
                meeting_run.attendance_record(
                    actor, meeting_id=meeting.pk, agency_id=agency.pk, status=status, attendee_name=name
                )
            except ValidationFailed as error:
                failed = True
                renames = {"status": f"status_{agency.pk}", "attendee_name": f"name_{agency.pk}"}
                add_domain_errors(form, ValidationFailed({renames.get(k, k): v for k, v in error.errors.items()}))
        # Only once the whole form is good: a page sent back with errors is sent again in full.
        if not failed and form.cleaned_data["observer_name"].strip():
            meeting_run.observer_add(actor, meeting_id=meeting.pk, name=form.cleaned_data["observer_name"])
        if not failed:
            messages.success(request, "Attendance saved")
            return redirect("forums:run", meeting_id=meeting.pk)
    return _page(request, "forums/run_attendance.jinja", meeting, "Attendance", form=form, observers=data.observers)


def _case_forms(request: HttpRequest, page: selectors.CasePage, members: list[Any]) -> dict[str, forms.Form]:
    step = request.POST.get("step") if request.method == "POST" else None
    d = page.discussion
    initial: dict[str, Any] = {"version": d.version if d else 0}
    if d:
        initial |= {"summary": d.summary, "risks": d.risks, "decisions": d.decisions}
        initial["next_review_on"] = d.next_review_on
    return {
        "discussion_form": DiscussionForm(request.POST if step == "discussion" else None, initial=initial),
        "lead_form": LeadForm(request.POST if step == "lead" else None, agencies=members),
        "action_form": ActionForm(request.POST if step == "action" else None, agencies=members),
        "close_form": CloseForm(request.POST if step == "close" else None),
    }


def _case_step(request: HttpRequest, item_id: uuid.UUID, step: str, form: forms.Form) -> str | None:
    """Do one of the case page's steps; the message to show when it is done (None if the form has errors)."""
    actor = request_actor(request)
    if step == "start":
        meeting_run.discussion_start(actor, item_id=item_id)
        return "Discussion started"
    if step == "stop":
        meeting_run.discussion_stop(actor, item_id=item_id)
        return "Discussion stopped"
    if not form.is_valid():
        return None
    data = form.cleaned_data
    if step == "discussion":
        meeting_run.discussion_save(
            actor,
            item_id=item_id,
            expected_version=data["version"],
            summary=data["summary"],
            risks=data["risks"],
            decisions=data["decisions"],
            next_review_on=data["next_review_on"],
        )
        return "Minutes saved"
    if step == "lead":
        meeting_run.forum_lead_agree(
            actor, item_id=item_id, agency_id=_uuid(data["lead_agency"]), reason=data["lead_reason"]
        )
        return "Lead agency recorded"
    if step == "action":
        meeting_run.forum_action_agree(
            actor,
            item_id=item_id,
            description=data["description"],
            owner_agency_id=_uuid(data["owner_agency"]),
            due_on=data["due_on"],
        )
        return "Action added"
    meeting_run.forum_case_finish(actor, item_id=item_id, outcome=data["outcome"], detail=data["outcome_detail"])
    return "Case closed"


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id, organiser=True)
    actor = request_actor(request)
    try:
        page = selectors.case_page(actor, meeting, item_id, route=request.path)
    except NotFound:
        raise Http404("No such agenda item") from None
    members = selectors.member_agencies(meeting)
    found = _case_forms(request, page, members)
    step = request.POST.get("step", "")
    if request.method == "POST" and step in {"start", "stop", "discussion", "lead", "action", "close"}:
        form = found.get(f"{step}_form", found["discussion_form"])
        try:
            done = _case_step(request, item_id, step, form)
            if done:
                messages.success(request, done)
                return redirect("forums:case", meeting_id=meeting.pk, item_id=item_id)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        except StaleVersion as error:
            keep_after_stale(form, error)
    return _page(
        request,
        "forums/run_case.jinja",
        meeting,
        f"Case {page.number}",
        page=page,
        rows=presenters.case_rows(page),
        **found,
    )


@require_GET
def minutes(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    actor = request_actor(request)
    data = selectors.minutes(actor, meeting, route=request.path)
    copy = MinutesCopy.objects.filter(meeting=meeting, agency_id=actor.agency_id or uuid.UUID(int=0)).first()
    return _page(
        request,
        "forums/minutes_page.jinja",
        meeting,
        "Minutes",
        minutes=data,
        copy=copy,
        organiser=rules.organises(actor, meeting.forum),
        format_date=presenters.format_date,
    )


@require_POST
def minutes_publish(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id, organiser=True)
    try:
        copies = meeting_run.minutes_publish(request_actor(request), meeting_id=meeting.pk)
        messages.success(request, f"Minutes published: {len(copies)} agency copies are being written")
    except ValidationFailed as error:
        messages.error(request, error.message)
    return redirect("forums:minutes", meeting_id=meeting.pk)


@require_GET
def minutes_pdf(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    """The viewer's own agency's copy, served only while it holds exactly what the viewer may read
    now: the minutes are read again through the policy (and audited) on every download."""
    meeting = _meeting(request, meeting_id)
    actor = request_actor(request)
    ours = MinutesCopy.objects.filter(meeting=meeting, agency_id=actor.agency_id or uuid.UUID(int=0))
    copy = ours.filter(status=MinutesStatus.READY).first()
    if copy is None or not copy.pdf:
        raise Http404("No copy")
    readable_now = minutes_copies.minutes_html(selectors.minutes(actor, meeting, route=request.path))
    if minutes_copies.digest(readable_now) != copy.html_digest:
        # A narrower role than the representative's, or sharing changed since: the page, not the copy.
        raise Http404("This copy holds more than you may read now")
    response = HttpResponse(bytes(copy.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.starts_at:%Y-%m-%d}.pdf"'
    return response
