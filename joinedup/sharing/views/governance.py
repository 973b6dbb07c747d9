"""Information governance pages: the data sharing agreement register, the emergency-access review
queue, and per person the disclosure log and subject access exports. IG pages answer 404 to anyone
but an IG lead (forbidden looks like not found); the agreement register is open to all staff."""

import json
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.accounts.actors import request_actor
from joinedup.accounts.roles import RoleCode
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, PermissionDenied, ValidationFailed
from joinedup.core.forms import add_domain_errors
from joinedup.sharing import services
from joinedup.sharing.forms.governance import AgreementForm, ReviewDecisionForm, SubjectAccessForm
from joinedup.sharing.models import ReviewOutcome
from joinedup.sharing.presenters import governance as presenters
from joinedup.sharing.selectors import governance as selectors
from joinedup.sharing.selectors.governance import GovernancePerson
from joinedup.sharing.services.subject_access import subject_access_export_start


def _ig_lead(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    if actor.agency_id is None or not actor.has_role(RoleCode.IG_LEAD):
        raise Http404("Not found")
    return actor


def _person(request: HttpRequest, actor: Actor, person_id: uuid.UUID) -> GovernancePerson:
    try:
        return selectors.governance_person(actor, person_id=person_id, route=request.path)
    except NotFound:
        raise Http404("No such person") from None


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() else 1


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = _ig_lead(request)
    counts = selectors.ig_counts(agency_id=actor.agency_id)  # type: ignore[arg-type]
    return render(request, "sharing/governance_index.jinja", {"title": "Information governance", "counts": counts})


# ---------------------------------------------------------------------------------------------
# Data sharing agreements.


@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    today = clock.today()
    rows = [presenters.agreement_row(a, today) for a in selectors.agreement_list()]
    context = {
        "title": "Data sharing agreements",
        "rows": rows,
        "warnings": [r for r in rows if r["status"].warning],
        "may_create": actor.has_role(RoleCode.IG_LEAD) and actor.agency_id is not None,
    }
    return render(request, "sharing/agreement_list.jinja", context)


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    actor = _ig_lead(request)
    initial = {"parties": [actor.agency_id]}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor, **form.service_arguments())
        except ValidationFailed as error:
            add_domain_errors(form, error)
        except PermissionDenied:
            raise Http404("Not found") from None
        else:
            messages.success(request, "The agreement has been drafted. Each party's IG lead must now sign it off")
            return redirect("sharing:agreement_detail", agreement_id=agreement.pk)
    context = {
        "title": "Draft a data sharing agreement",
        "form": form,
        "error_count": len(form.errors),
        "has_forums": selectors.forum_options().exists(),
    }
    return render(request, "sharing/agreement_form.jinja", context)


@require_GET
def agreement_detail(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    try:
        agreement = selectors.agreement_get(agreement_id=agreement_id)
    except NotFound:
        raise Http404("No such agreement") from None
    today = clock.today()
    signoffs = presenters.party_signoffs(agreement)
    status = presenters.agreement_status(agreement, today)
    ended = agreement.ends_on is not None and agreement.ends_on < today
    may_sign = (
        actor.has_role(RoleCode.IG_LEAD)
        and not ended
        and any(s.agency_id == actor.agency_id and not s.signed for s in signoffs)
    )
    context = {
        "title": agreement.title,
        "agreement": agreement,
        "status": status,
        "summary": presenters.agreement_summary(agreement, today),
        "signoffs": signoffs,
        "may_sign": may_sign,
        "agency_name": actor.agency_name,
    }
    return render(request, "sharing/agreement_detail.jinja", context)


@require_POST
def agreement_signoff(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    actor = _ig_lead(request)
    try:
        agreement = services.agreement_signoff(actor, agreement_id=agreement_id)
    except (NotFound, PermissionDenied):
        raise Http404("No such agreement") from None
    except ValidationFailed as error:
        messages.info(request, error.message)
    else:
        if agreement.signed_off_at:
            text = (
                "You have signed the agreement off. Every party has now signed it: it is in force from its start date"
            )
        else:
            text = f"You have signed the agreement off for {actor.agency_name}"
        messages.success(request, text)
    return redirect("sharing:agreement_detail", agreement_id=agreement_id)


# ---------------------------------------------------------------------------------------------
# Emergency access reviews.


@require_GET
def emergency_reviews(request: HttpRequest) -> HttpResponse:
    actor = _ig_lead(request)
    agency_id = actor.agency_id
    pending = selectors.emergency_reviews_pending(agency_id=agency_id)  # type: ignore[arg-type]
    decided = selectors.emergency_reviews_decided(agency_id=agency_id)  # type: ignore[arg-type]
    names = selectors.people_names(actor, {r.grant.person_id for r in [*pending, *decided]}, route=request.path)
    today = clock.today()
    context = {
        "title": "Emergency access reviews",
        "pending": [presenters.review_row(r, today, names) for r in pending],
        "decided": [presenters.review_row(r, today, names) for r in decided],
    }
    return render(request, "sharing/emergency_reviews.jinja", context)


@require_http_methods(["GET", "POST"])
def emergency_review(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    actor = _ig_lead(request)
    try:
        review = selectors.emergency_review_get(actor, review_id=review_id)
    except NotFound:
        raise Http404("No such review") from None
    pending = review.outcome == ReviewOutcome.PENDING
    form = ReviewDecisionForm(request.POST or None)
    if request.method == "POST" and pending and form.is_valid():
        try:
            services.emergency_review_decide(actor, review_id=review.pk, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        except (NotFound, PermissionDenied):
            raise Http404("No such review") from None
        else:
            messages.success(request, "Your review decision has been recorded")
            return redirect("sharing:emergency_reviews")
    person_id = review.grant.person_id
    names = selectors.people_names(actor, [person_id], route=request.path)
    reads = selectors.emergency_review_reads(review)
    records = selectors.records_by_ref(
        actor,
        person_id=person_id,
        refs={ref for read in reads for ref in read.refs},
        route=request.path,
        reason="Emergency access review",
    )
    today = clock.today()
    person_name = names.get(person_id, "A person your agency holds records about")
    context = {
        "title": "Review emergency access",
        "review": presenters.review_row(review, today, names),
        "summary": presenters.grant_summary(review, person_name),
        "reads": presenters.emergency_reads(reads, records),
        "person_id": person_id,
        "pending": pending,
        "form": form,
        "error_count": len(form.errors),
    }
    return render(request, "sharing/emergency_review.jinja", context)


# ---------------------------------------------------------------------------------------------
# A person's disclosure log and subject access exports (for the IG lead's own agency).


@require_GET
def disclosures(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = _ig_lead(request)
    person = _person(request, actor, person_id)
    page = selectors.disclosure_log(agency_id=actor.agency_id, person_id=person_id, page=_page_number(request))  # type: ignore[arg-type]
    records = selectors.records_by_ref(
        actor,
        person_id=person_id,
        refs={r["ref"] for entry in page.rows for r in entry.records},
        route=request.path,
        reason="Disclosure log",
    )
    context = {
        "title": "Disclosure log",
        "person": person,
        "page": page,
        "rows": presenters.disclosure_rows(page.rows, records),
    }
    return render(request, "sharing/disclosures.jinja", context)


@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = _ig_lead(request)
    person = _person(request, actor, person_id)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject_access_export_start(actor, person_id=person_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        except PermissionDenied:
            raise Http404("Not found") from None
        else:
            messages.success(request, "The export has started. It runs in the background: check its progress below")
            return redirect("sharing:subject_access", person_id=person_id)
    today = clock.today()
    exports = selectors.subject_access_exports(agency_id=actor.agency_id, person_id=person_id)  # type: ignore[arg-type]
    context = {
        "title": "Subject access request",
        "person": person,
        "form": form,
        "error_count": len(form.errors),
        "exports": [presenters.export_row(e, today) for e in exports],
        "working": any(not e.finished for e in exports),
    }
    return render(request, "sharing/subject_access.jinja", context)


@require_GET
def subject_access_download(request: HttpRequest, person_id: uuid.UUID, export_id: uuid.UUID, fmt: str) -> HttpResponse:
    actor = _ig_lead(request)
    _person(request, actor, person_id)
    try:
        export = selectors.subject_access_export_get(
            agency_id=actor.agency_id,  # type: ignore[arg-type]
            person_id=person_id,
            export_id=export_id,
        )
        export = selectors.subject_access_download(actor, export=export, route=request.path, what=fmt.upper())
    except NotFound:
        raise Http404("No such export") from None
    stem = f"subject-access-{clock.local(export.created_at):%Y-%m-%d}-{str(export.pk)[:8]}"
    if fmt == "pdf":
        response = HttpResponse(bytes(export.content_pdf or b""), content_type="application/pdf")
    else:
        body = json.dumps(export.content_json, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
