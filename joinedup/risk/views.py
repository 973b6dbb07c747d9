"""Risk pages: a person's risk (tools to use, the history of assessments, flags), the assessment form,
an assessment's result with the forum referral it offers, and adding and ending flags.

Accepting the offer puts a referral together from the assessment and opens the referral wizard at
the details step, so the user checks every pre-filled answer and sends it through the referral
services; nothing is typed twice.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.accounts.actors import request_actor
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.forms import add_domain_errors, keep_after_stale
from joinedup.people.pages import person_or_404
from joinedup.referrals.drafts import draft_key, draft_seed
from joinedup.risk import catalogue, prefill, presenters, rules, selectors, services
from joinedup.risk.forms import AssessmentForm, FlagEndForm, FlagForm
from joinedup.risk.models import Assessment


def _recorder(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    if not rules.may_record(actor):
        raise Http404("Not found")
    return actor


def person_risk(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The tools to use, the person's assessments (newest first) and every flag the reader may see."""
    actor = request_actor(request)
    access = person_or_404(request, person_id)
    today = clock.today()
    assessments = selectors.assessments_for_person(actor, person_id, purpose=access.purpose, route=request.path)
    flags = selectors.flags_for_person(actor, person_id, purpose=access.purpose, route=request.path)
    live, past = presenters.flag_lines(flags, today)
    context = {
        "title": f"Risk: {access.name}",
        "person_name": access.name,
        "person_id": person_id,
        "tools": catalogue.current_tools(),
        "levels": presenters.current_levels(assessments, today),
        "history": presenters.history_rows(assessments),
        "flags": live,
        "past_flags": past,
        "may_record": rules.may_record(actor),
        "agency_id": str(actor.agency_id),
        "own_flags": {str(s.record.pk) for s in flags if s.record.recorded_by_id == actor.agency_id},
    }
    return render(request, "risk/person.jinja", context)


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, person_id: uuid.UUID, slug: str) -> HttpResponse:
    actor = _recorder(request)
    access = person_or_404(request, person_id)
    tool = catalogue.tool_get(slug)
    if tool is None:
        raise Http404("No such tool")
    if request.method == "POST":
        form = AssessmentForm(request.POST, tool=tool.spec)
    else:
        initial = {"assessed_on": clock.today(), "version": selectors.series_version(actor, person_id, slug)}
        form = AssessmentForm(initial=initial, tool=tool.spec)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_complete(
                actor,
                person=access.person,
                tool=tool,
                answers=form.answers(),
                assessed_on=data["assessed_on"],
                judgement_level=data["judgement_level"],
                judgement_reasons=data["judgement_reasons"],
                expected_version=data["version"],
            )
        except StaleVersion as error:
            keep_after_stale(form, error)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"The {tool.name.lower()} has been recorded")
            return redirect("risk:assessment", assessment_id=assessment.pk)
    context = {
        "title": tool.name,
        "tool": tool,
        "form": form,
        "person_name": access.name,
        "person_id": person_id,
        "error_count": len(form.errors),
    }
    return render(request, "risk/assess.jinja", context)


def _assessment(request: HttpRequest, assessment_id: uuid.UUID) -> Assessment:
    try:
        return selectors.assessment_get(request_actor(request), assessment_id, route=request.path).record
    except NotFound:
        raise Http404("No such assessment") from None


def assessment(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """The result: level, score, escalation and judgement, the answers, and any forum referral it offers."""
    actor = request_actor(request)
    found = _assessment(request, assessment_id)
    offers = prefill.offers(actor, found) if rules.may_record(actor) else []
    context = {
        "title": f"{found.tool.name}: {found.level_label}",
        "assessment": found,
        "person_name": found.person.full_name,
        "rows": presenters.result_rows(found, clock.today()),
        "groups": presenters.answer_groups(found),
        "level_colour": presenters.level_colour(found),
        "review_due": found.review_due(),
        "offers": offers,
    }
    return render(request, "risk/assessment.jinja", context)


@require_POST
def refer(request: HttpRequest, assessment_id: uuid.UUID, pathway_id: uuid.UUID) -> HttpResponse:
    """Accept the offer: a referral draft filled in from the assessment, for the user to check and send."""
    actor = _recorder(request)
    found = _assessment(request, assessment_id)
    offer = next((o for o in prefill.offers(actor, found) if o.pathway.pk == pathway_id), None)
    if offer is None:
        raise Http404("No such referral offer")
    if draft_key(found.person_id) in request.session:
        messages.warning(request, "This replaces the referral you had started for this person and not sent")
    draft_seed(
        request.session,
        person_id=found.person_id,
        pathway_id=offer.pathway.pk,
        data=prefill.draft_data(actor, found, offer.pathway),
    )
    messages.info(
        request,
        f"This referral to the {offer.forum_name} is filled in from the assessment. "
        "Check every answer before you send it",
    )
    return redirect("referrals:refer_details", person_id=found.person_id)


@require_http_methods(["GET", "POST"])
def flag_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = _recorder(request)
    access = person_or_404(request, person_id)
    form = FlagForm(request.POST or None, initial={"starts_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            flag = services.flag_add(actor, person=access.person, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"The warning ({flag.get_kind_display().lower()}) has been added")
            return redirect("risk:person", person_id=person_id)
    context: dict[str, Any] = {
        "title": "Add a warning",
        "form": form,
        "person_name": access.name,
        "person_id": person_id,
        "error_count": len(form.errors),
    }
    return render(request, "risk/flag_add.jinja", context)


@require_http_methods(["GET", "POST"])
def flag_end(request: HttpRequest, flag_id: uuid.UUID) -> HttpResponse:
    actor = _recorder(request)
    try:
        flag = selectors.flag_get(actor, flag_id, route=request.path).record
    except NotFound:
        raise Http404("No such flag") from None
    if not rules.may_end_flag(actor, flag):
        raise Http404("No such flag")
    form = FlagEndForm(request.POST or None, initial={"version": flag.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_end(
                actor,
                flag_id=flag_id,
                reason=form.cleaned_data["end_reason"],
                expected_version=form.cleaned_data["version"],
            )
        except NotFound:
            raise Http404("No such flag") from None
        except StaleVersion as error:
            keep_after_stale(form, error)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "The warning has been ended. It stays on record as ended")
            return redirect("risk:person", person_id=flag.person_id)
    context = {
        "title": "End a warning early",
        "form": form,
        "flag": presenters.flag_line(flag, clock.today()),
        "person_name": flag.person.full_name,
        "person_id": flag.person_id,
        "error_count": len(form.errors),
    }
    return render(request, "risk/flag_end.jinja", context)
