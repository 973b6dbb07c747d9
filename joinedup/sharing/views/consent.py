"""Consent pages: record (question page, then check your answers), see, review and withdraw.

The answers wait in the session, not the database, until the practitioner confirms them. The
"check your answers" page carries a one-time token: confirming claims it under a lock on the
session row, so a double click, a resubmit or two racing requests record one consent, not two.
"""

import secrets
import uuid
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods

from joinedup.accounts.actors import request_actor
from joinedup.accounts.rules import Permission, has_permission
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.core.forms import add_domain_errors
from joinedup.sharing.forms.consent import (
    SERVICE_FIELDS,
    ConsentConfirmForm,
    ConsentForm,
    ConsentReviewForm,
    ConsentWithdrawForm,
)
from joinedup.sharing.models import ConsentStatus
from joinedup.sharing.policy import PersonAccess, Shown
from joinedup.sharing.presenters import consent as present
from joinedup.sharing.selectors import consent as selectors
from joinedup.sharing.services.consent import consent_record, consent_review, consent_validate, consent_withdraw

DONE = "sharing:consent-done"  # one-time token -> the consent it recorded, so a resubmit finds it
PENDING_DIR = "consent-evidence/pending"


def _draft_key(person_id: uuid.UUID) -> str:
    return f"sharing:consent-draft:{person_id}"


def _evidence_key(person_id: uuid.UUID) -> str:
    return f"sharing:consent-evidence:{person_id}"


def _access(request: HttpRequest, person_id: uuid.UUID) -> PersonAccess:
    try:
        return selectors.sharing_person_get(request_actor(request), person_id=person_id, route=request.path)
    except NotFound:
        raise Http404("No such person") from None


def _recorder(request: HttpRequest, person_id: uuid.UUID) -> PersonAccess:
    """The person, for someone whose role records consent (everyone else gets a plain 404)."""
    if not has_permission(request_actor(request), Permission.RECORD_PEOPLE):
        raise Http404("Not found")
    return _access(request, person_id)


def _consent(request: HttpRequest, access: PersonAccess, consent_id: uuid.UUID, *, own: bool) -> Shown[Any]:
    try:
        if own:
            return selectors.own_consent_get(request_actor(request), access, consent_id=consent_id)
        return selectors.consent_get(access, consent_id=consent_id)
    except NotFound:
        raise Http404("No such consent") from None


def _form(request: HttpRequest, data: Any = None, files: Any = None) -> ConsentForm:
    return ConsentForm(
        data,
        files,
        agencies=selectors.partner_agencies(),
        forums=selectors.partner_forums(),
        own_agency=request_actor(request).agency_id,
    )


def _add_service_errors(form: ConsentForm, error: ValidationFailed) -> None:
    renamed = {SERVICE_FIELDS.get(name, name): text for name, text in error.errors.items()}
    add_domain_errors(form, ValidationFailed(renamed))


def _keep_evidence(request: HttpRequest, person_id: uuid.UUID, form: ConsentForm) -> dict[str, Any] | None:
    """Keep a good upload in pending storage (even if other answers need fixing), so it is not lost."""
    key = _evidence_key(person_id)
    pending = request.session.get(key)
    upload = form.cleaned_data.get("evidence")
    if upload is not None or form.cleaned_data.get("remove_evidence"):
        if pending:
            default_storage.delete(pending["path"])
        request.session.pop(key, None)
        pending = None
    if upload is not None:
        suffix = PurePath(upload.name or "").suffix.lower()
        pending = {
            "path": default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}{suffix}", upload),
            "name": PurePath(upload.name or "evidence").name[-100:],
            "content_type": upload.content_type,
            "size": upload.size,
        }
        request.session[key] = pending
    return pending


def _pending_upload(pending: dict[str, Any] | None) -> UploadedFile | None:
    if not pending:
        return None
    return UploadedFile(
        default_storage.open(pending["path"], "rb"),
        name=pending["name"],
        content_type=pending["content_type"],
        size=pending["size"],
    )


def _form_page(request: HttpRequest, access: PersonAccess, form: ConsentForm, status: int = 200) -> HttpResponse:
    pending = request.session.get(_evidence_key(access.person.pk))
    context = {
        "title": "Record consent to share",
        "form": form,
        "person_name": access.name,
        "person_id": access.person.pk,
        "evidence_name": pending["name"] if pending else "",
        "error_count": len(form.errors),
    }
    return render(request, "sharing/consent_form.jinja", context, status=status)


@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The question page: every answer at once, kept whatever is wrong with some of them."""
    access = _recorder(request, person_id)
    draft = request.session.get(_draft_key(person_id))
    if request.method != "POST":
        return _form_page(request, access, _form(request, MultiValueDict(draft["data"]) if draft else None))
    form = _form(request, request.POST, request.FILES)
    valid = form.is_valid()
    _keep_evidence(request, person_id, form)
    if valid:
        try:
            consent_validate(request_actor(request), **form.service_kwargs(), evidence=None)
        except ValidationFailed as error:
            _add_service_errors(form, error)
        else:
            data = {
                k: request.POST.getlist(k) for k in request.POST if k not in ("csrfmiddlewaretoken", "remove_evidence")
            }
            request.session[_draft_key(person_id)] = {"data": data, "token": secrets.token_urlsafe(24)}
            return redirect("sharing:consent_check", person_id=person_id)
    return _form_page(request, access, form)


def _claim(request: HttpRequest) -> dict[str, Any]:
    """The session as stored, with its row locked until the transaction ends (racing submits queue here)."""
    session = request.session
    if isinstance(session, DbSessionStore) and session.session_key:
        row = Session.objects.select_for_update().filter(session_key=session.session_key).first()
        if row is not None:
            stored = session.decode(row.session_data)
            # Another request may have changed it since this one began: carry on from what is stored.
            for key in [k for k in session.keys() if k.startswith("sharing:consent")]:  # noqa: SIM118
                if key not in stored:
                    del session[key]
            for key, value in stored.items():
                if key.startswith("sharing:consent"):
                    session[key] = value
            return stored
    return dict(session.items())


@require_http_methods(["GET", "POST"])
def consent_check(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Check your answers, in plain English; confirming records the consent once."""
    access = _recorder(request, person_id)
    if request.method == "POST":
        return _confirm(request, access)
    draft = request.session.get(_draft_key(person_id))
    form = _form(request, MultiValueDict(draft["data"]) if draft else None)
    if not draft or not form.is_valid():
        return redirect("sharing:consent_new", person_id=person_id)
    names = selectors.names_by_id(
        agency_ids=form.cleaned_data["recipient_agencies"]
        + form.cleaned_data["source_agencies"]
        + form.cleaned_data["deny_agencies"],
        forum_ids=form.cleaned_data.get("recipient_forums") or [],
    )
    kwargs = form.service_kwargs()
    pending = request.session.get(_evidence_key(person_id))
    context = {
        "title": "Check your answers before recording consent",
        "person_name": access.name,
        "person_id": person_id,
        "sentences": present.sentences(
            present.spec_rules(kwargs["provisions"], names),
            status=kwargs["status"],
            until=present.last_day(kwargs["ends_at"]),
        ),
        "rows": present.answer_rows(
            form.cleaned_data,
            names,
            evidence_name=pending["name"] if pending else "",
            change_url=reverse("sharing:consent_new", kwargs={"person_id": person_id}),
        ),
        "token": draft["token"],
    }
    return render(request, "sharing/consent_check.jinja", context)


def _confirm(request: HttpRequest, access: PersonAccess) -> HttpResponse:
    person_id = access.person.pk
    confirm = ConsentConfirmForm(request.POST)
    token = confirm.cleaned_data["token"] if confirm.is_valid() else ""
    with transaction.atomic():
        stored = _claim(request)
        done = stored.get(DONE, {}).get(token) if token else None
        if done:
            messages.info(request, "This consent has already been recorded")
            return redirect("sharing:consent_detail", person_id=person_id, consent_id=done)
        draft = stored.get(_draft_key(person_id))
        if not draft or draft["token"] != token:
            messages.info(request, "Your answers have changed since that page was shown: check them again")
            return redirect("sharing:consent_check" if draft else "sharing:consent_new", person_id=person_id)
        form = _form(request, MultiValueDict(draft["data"]))
        if not form.is_valid():
            return redirect("sharing:consent_new", person_id=person_id)
        pending = stored.get(_evidence_key(person_id))
        evidence = _pending_upload(pending)
        try:
            consent = consent_record(
                request_actor(request), person=access.person, evidence=evidence, **form.service_kwargs()
            )
        except ValidationFailed as error:
            _add_service_errors(form, error)
            return _form_page(request, access, form)
        finally:
            if evidence is not None:
                evidence.close()
        request.session.pop(_draft_key(person_id), None)
        request.session.pop(_evidence_key(person_id), None)
        recorded = {**stored.get(DONE, {}), token: str(consent.pk)}
        request.session[DONE] = dict(list(recorded.items())[-20:])
        request.session.save()
        if pending:
            transaction.on_commit(lambda: default_storage.delete(pending["path"]))
    given = consent.status == ConsentStatus.GIVEN
    messages.success(request, "Consent to share has been recorded" if given else "The refusal has been recorded")
    return redirect("sharing:consent_detail", person_id=person_id, consent_id=consent.pk)


def consent_detail(request: HttpRequest, person_id: uuid.UUID, consent_id: uuid.UUID) -> HttpResponse:
    access = _access(request, person_id)
    shown = _consent(request, access, consent_id, own=False)
    actor = request_actor(request)
    item = present.consent_item(shown, actor.agency_id, present.why_line)
    context = {
        "title": "Consent to share",
        "person_name": access.name,
        "person_id": person_id,
        "item": item,
        "rows": present.consent_rows(shown.record),
        "may_record": has_permission(actor, Permission.RECORD_PEOPLE),
    }
    return render(request, "sharing/consent_detail.jinja", context)


def _change_page(
    request: HttpRequest, access: PersonAccess, shown: Shown[Any], form: Any, template: str, title: str
) -> HttpResponse:
    context = {
        "title": title,
        "form": form,
        "person_name": access.name,
        "person_id": access.person.pk,
        "item": present.consent_item(shown, request_actor(request).agency_id),
        "error_count": len(form.errors),
    }
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: HttpRequest, person_id: uuid.UUID, consent_id: uuid.UUID) -> HttpResponse:
    """The person withdraws consent: agencies stop seeing the information on their very next request."""
    access = _recorder(request, person_id)
    shown = _consent(request, access, consent_id, own=True)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(request_actor(request), consent_id=consent_id, reason=form.cleaned_data["reason"])
        except NotFound:
            raise Http404("No such consent") from None
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "Consent has been withdrawn: agencies can no longer see this information")
            return redirect("sharing:consent_detail", person_id=person_id, consent_id=consent_id)
    return _change_page(request, access, shown, form, "sharing/consent_withdraw.jinja", "Withdraw consent")


@require_http_methods(["GET", "POST"])
def consent_review_view(request: HttpRequest, person_id: uuid.UUID, consent_id: uuid.UUID) -> HttpResponse:
    """Checked with the person that the consent still stands, and set the next review."""
    access = _recorder(request, person_id)
    shown = _consent(request, access, consent_id, own=True)
    form = ConsentReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_review(
                request_actor(request), consent_id=consent_id, next_review_on=form.cleaned_data["next_review_on"]
            )
        except NotFound:
            raise Http404("No such consent") from None
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "The consent review has been recorded")
            return redirect("sharing:consent_detail", person_id=person_id, consent_id=consent_id)
    return _change_page(request, access, shown, form, "sharing/consent_review.jinja", "Review consent")


def consent_evidence(request: HttpRequest, person_id: uuid.UUID, consent_id: uuid.UUID) -> HttpResponseBase:
    """The evidence file, for the agency that recorded the consent only."""
    access = _access(request, person_id)
    consent = _consent(request, access, consent_id, own=True).record
    if not consent.evidence:
        raise Http404("No evidence")
    name = PurePath(consent.evidence.name).name
    return FileResponse(consent.evidence.open("rb"), as_attachment=True, filename=name)
