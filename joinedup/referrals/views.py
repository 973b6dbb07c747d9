"""Referral pages: refer (a pathway, the details, check your answers), the team inbox, what we sent,
one referral with the actions its viewer may take in its state, and those actions' forms.

The answers of a new referral wait in the session until the referrer confirms them. The "check your
answers" page carries a one-time token: sending claims it under a lock on the session row, so a
double click, a resubmit or two racing requests send one referral, not two. Every action carries
the version the user saw; a stale one is refused with who changed it and when, and what the user
typed is kept.
"""

import secrets
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.accounts.actors import request_actor
from joinedup.accounts.models import User
from joinedup.accounts.rules import Permission, has_permission
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.formatting import format_datetime
from joinedup.core.forms import add_domain_errors
from joinedup.people.pages import person_or_404
from joinedup.referrals import drafts, presenters, selectors, services
from joinedup.referrals.forms import (
    CloseForm,
    DeclineForm,
    HandoverFormFields,
    PathwayForm,
    ReferForm,
    Route,
    VersionForm,
    WithdrawForm,
)
from joinedup.referrals.models import Pathway, Referral
from joinedup.referrals.selectors import INBOX_TABS, ReferralView
from joinedup.sharing.policy import PersonAccess

PREFIX = drafts.PREFIX
DONE = f"{PREFIX}done"  # one-time token -> the referral it sent, so a resubmit finds it
TABS = {"waiting": "Waiting for a decision", "accepted": "Accepted", "handed_over": "Handed over"}
RECEIVER_ACTIONS = {"acknowledge", "accept", "decline", "handover", "close"}


_draft_key = drafts.draft_key


def _require(request: HttpRequest, permission: Permission) -> Actor:
    actor = request_actor(request)
    if not has_permission(actor, permission):
        raise Http404("Not found")
    return actor


def _view(request: HttpRequest, referral_id: uuid.UUID) -> ReferralView:
    try:
        return selectors.referral_get(request_actor(request), referral_id=referral_id, route=request.path)
    except NotFound:
        raise Http404("No such referral") from None


def _may(request: HttpRequest, view: ReferralView, action: str) -> Actor:
    """The actor, if their role acts on referrals and they are on the side that takes this action."""
    actor = _require(request, Permission.RECORD_PEOPLE)
    referral = view.referral.record
    side = referral.to_agency_id if action in RECEIVER_ACTIONS else referral.from_agency_id
    if actor.agency_id != side:
        raise Http404("No such referral")
    return actor


def _page(request: HttpRequest, view: ReferralView) -> presenters.ReferralPage:
    actor = request_actor(request)
    return presenters.referral_page(
        view.referral,
        view.attachments,
        agency_id=actor.agency_id,
        may_act=has_permission(actor, Permission.RECORD_PEOPLE),
        now=clock.now(),
    )


def _not_now(request: HttpRequest, view: ReferralView, action: str) -> HttpResponse | None:
    """Back to the referral, saying why, when its state does not allow this action (any more)."""
    if getattr(_page(request, view).actions, action):
        return None
    state = view.referral.record.get_state_display().lower()
    messages.info(request, f"This referral is {state}, so you cannot do that now")
    return redirect("referrals:detail", referral_id=view.referral.record.pk)


# ---------------------------------------------------------------------------------------------
# Lists


def inbox(request: HttpRequest) -> HttpResponse:
    """Referrals to the user's agency, per team, soonest due first, with their response clocks."""
    actor = _require(request, Permission.SEARCH_PEOPLE)
    tab = request.GET.get("tab", "waiting")
    tab = tab if tab in INBOX_TABS else "waiting"
    teams = selectors.teams_of(actor.agency_id)
    asked = request.GET.get("team")
    team_id = actor.team_id if asked is None else next((t.pk for t in teams if str(t.pk) == asked), None)
    shown = selectors.inbox(actor, tab=tab, team_id=team_id, route=request.path)
    query = f"&team={team_id or 'all'}"
    context = {
        "title": "Referral inbox",
        "tabs": [
            {"key": key, "text": text, "href": f"?tab={key}{query}", "current": key == tab}
            for key, text in TABS.items()
        ],
        "tab": TABS[tab],
        "tab_key": tab,
        "team_items": [
            {"value": "all", "text": "All teams", "selected": team_id is None},
            *({"value": str(t.pk), "text": t.name, "selected": t.pk == team_id} for t in teams),
        ],
        "team_name": next((t.name for t in teams if t.pk == team_id), ""),
        "rows": presenters.referral_rows(shown, clock.now()),
        "agency": actor.agency_name,
    }
    return render(request, "referrals/inbox.jinja", context)


def sent(request: HttpRequest) -> HttpResponse:
    """What the user's agency referred, and where each referral has got to."""
    actor = _require(request, Permission.SEARCH_PEOPLE)
    shown = selectors.sent(actor, route=request.path)
    context = {"title": "Referrals we sent", "rows": presenters.referral_rows(shown, clock.now())}
    return render(request, "referrals/sent.jinja", context)


# ---------------------------------------------------------------------------------------------
# One referral, and the actions that are one button


def _detail(request: HttpRequest, view: ReferralView, *, error: str = "") -> HttpResponse:
    page = _page(request, view)
    context = {"title": page.heading, "page": page, "error": error, "error_count": 1 if error else 0}
    return render(request, "referrals/detail.jinja", context)


def detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _view(request, referral_id))


def _fresh(request: HttpRequest, referral_id: uuid.UUID, fallback: ReferralView) -> ReferralView:
    """The referral as it is now (after someone else's change), if the user may still see it."""
    try:
        return selectors.referral_get(request_actor(request), referral_id=referral_id, route=request.path)
    except NotFound:
        return fallback


def _act(request: HttpRequest, referral_id: uuid.UUID, action: str, service: Any, done: str) -> HttpResponse:
    view = _view(request, referral_id)
    actor = _may(request, view, action)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _detail(request, view, error="Something went wrong with that form: try again")
    try:
        service(actor, referral_id=referral_id, expected_version=form.cleaned_data["version"])
    except NotFound:
        raise Http404("No such referral") from None
    except (StaleVersion, ValidationFailed) as error:
        return _detail(request, _fresh(request, referral_id, view), error=error.message)
    messages.success(request, done)
    return redirect("referrals:detail", referral_id=referral_id)


@require_POST
def send(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    return _act(request, referral_id, "send", services.referral_send, "Your referral has been sent")


@require_POST
def acknowledge(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    done = "You have acknowledged the referral: the referrer can see that your service has it"
    return _act(request, referral_id, "acknowledge", services.referral_acknowledge, done)


@require_POST
def accept(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    done = "You have accepted the referral. Record the warm handover once first contact is made"
    return _act(request, referral_id, "accept", services.referral_accept, done)


# ---------------------------------------------------------------------------------------------
# The actions with a form: the user's words are kept whatever goes wrong


def _rebound[F: forms.Form](form_class: type[F], request: HttpRequest, version: int, error: str, **kwargs: Any) -> F:
    """The form as the user filled it in, now at the current version, with the conflict above it."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, error)
    return form


def _form_page(
    request: HttpRequest, view: ReferralView, form: forms.Form, template: str, title: str, **extra: Any
) -> HttpResponse:
    context = {"title": title, "page": _page(request, view), "form": form, "error_count": len(form.errors), **extra}
    return render(request, template, context)


def _onward(actor: Actor, data: dict[str, Any], pathways: list[Pathway]) -> Any:
    route, reason = data["route"], data["onward_reason"]
    if route == Route.PATHWAY:
        for pathway in pathways:
            for urgency in pathway.urgencies.all():
                if str(urgency.pk) == data["onward_urgency"]:
                    return services.OnwardReferral(pathway=pathway, urgency=urgency, reason=reason)
        return None
    if route == Route.DIRECTORY:
        service = selectors.directory_service(data["service"])
        if service is None:
            return None
        return services.OnwardSignposting(
            service_name=service.name, reason=reason, person_told=data["person_told"], service_id_hsds=str(service.pk)
        )
    return services.OnwardSignposting(
        service_name=data["signpost_name"], reason=reason, person_told=data["person_told"]
    )


# Errors from the onward referral's own checks, moved beside the question they answer.
_DECLINE_FIELDS = {"onward": "route", "pathway": "onward_urgency", "urgency": "onward_urgency"}


def _decline_errors(error: ValidationFailed) -> ValidationFailed:
    renamed: dict[str, list[str]] = {}
    for name, texts in error.errors.items():
        target = _DECLINE_FIELDS.get(name, name if name in DeclineForm.base_fields else "")
        words = texts if target else [f"The onward referral could not be sent: {t}" for t in texts]
        renamed.setdefault(target, []).extend(words)
    return ValidationFailed(renamed)


@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """Decline with an onward route (a referral through another pathway, or a signposting), in one step."""
    view = _view(request, referral_id)
    actor = _may(request, view, "decline")
    if request.method == "GET" and (gone := _not_now(request, view, "decline")):
        return gone
    pathways = list(selectors.pathways_for(actor))
    posted = request.POST if request.method == "POST" else None
    need = (posted or request.GET).get("need", "")
    matches = selectors.directory_search(need, chosen=posted.get("service", "") if posted else "")
    items = presenters.service_items(matches, pathways)
    kwargs = {"urgencies": presenters.onward_choices(pathways), "services": [(i["value"], i["text"]) for i in items]}
    extra = {"service_items": items, "searched": bool(need.strip()), "need": need}
    title = "Decline and give an onward route"
    if posted is None or "search" in posted:
        initial: dict[str, Any] = {"version": view.referral.record.version}
        if posted is not None:  # a directory search: keep every answer, show no errors yet
            initial |= {k: posted.get(k) for k in posted if k != "csrfmiddlewaretoken"}
            initial |= {"route": Route.DIRECTORY, "person_told": bool(posted.get("person_told"))}
        form = DeclineForm(initial=initial, **kwargs)
        return _form_page(request, view, form, "referrals/decline.jinja", title, **extra)
    form = DeclineForm(posted, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        onward = _onward(actor, data, pathways)
        try:
            declined = services.referral_decline(
                actor,
                referral_id=referral_id,
                reason=data["decline_reason"],
                onward=onward,
                expected_version=data["version"],
            )
        except NotFound:
            raise Http404("No such referral") from None
        except StaleVersion as error:
            view = _fresh(request, referral_id, view)
            form = _rebound(DeclineForm, request, error.current_version, error.message, **kwargs)
        except ValidationFailed as error:
            add_domain_errors(form, _decline_errors(error))
        else:
            if declined.onward_referral_id:
                messages.success(
                    request, "You declined the referral and referred the person on: this is the new referral"
                )
                return redirect("referrals:detail", referral_id=declined.onward_referral_id)
            name = getattr(onward, "service_name", "another service")
            messages.success(
                request, f"You declined the referral and recorded that you signposted the person to {name}"
            )
            return redirect("referrals:inbox")
    return _form_page(request, view, form, "referrals/decline.jinja", title, **extra)


@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """The warm handover: first contact made by a named worker, when and how, and whether the person was there."""
    view = _view(request, referral_id)
    actor = _may(request, view, "handover")
    if request.method == "GET" and (gone := _not_now(request, view, "handover")):
        return gone
    workers = {str(u.pk): u for u in selectors.colleagues(actor)}
    kwargs = {"workers": presenters.worker_choices(workers.values())}
    initial = {"version": view.referral.record.version, "receiving_worker": str(actor.user_id)}
    form = HandoverFormFields(request.POST if request.method == "POST" else None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_first_contact(
                actor,
                referral_id=referral_id,
                handover_at=data["handover_at"],
                handover_form=data["handover_form"],
                person_present=data["person_present"] == "yes",
                receiving_worker=workers.get(data["receiving_worker"] or ""),
                receiving_worker_name=data["receiving_worker_name"],
                note=data["note"],
                expected_version=data["version"],
            )
        except NotFound:
            raise Http404("No such referral") from None
        except StaleVersion as error:
            view = _fresh(request, referral_id, view)
            form = _rebound(HandoverFormFields, request, error.current_version, error.message, **kwargs)
        except ValidationFailed as error:
            add_domain_errors(form, ValidationFailed({_HANDOVER_FIELDS.get(k, k): v for k, v in error.errors.items()}))
        else:
            messages.success(
                request, "The warm handover has been recorded: the referrer can see who made first contact"
            )
            return redirect("referrals:detail", referral_id=referral_id)
    return _form_page(request, view, form, "referrals/handover.jinja", "Record the warm handover")


_HANDOVER_FIELDS = {"handover_at": "handover_on"}


def _simple_form(
    request: HttpRequest,
    referral_id: uuid.UUID,
    *,
    action: str,
    form_class: type[VersionForm],
    title: str,
    button: str,
    run: Any,
    done: str,
) -> HttpResponse:
    view = _view(request, referral_id)
    actor = _may(request, view, action)
    if request.method == "GET" and (gone := _not_now(request, view, action)):
        return gone
    form = form_class(
        request.POST if request.method == "POST" else None, initial={"version": view.referral.record.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            run(actor, form.cleaned_data)
        except NotFound:
            raise Http404("No such referral") from None
        except StaleVersion as error:
            view = _fresh(request, referral_id, view)
            form = _rebound(form_class, request, error.current_version, error.message)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("referrals:detail", referral_id=referral_id)
    return _form_page(request, view, form, "referrals/action.jinja", title, button_text=button)


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    def run(actor: Actor, data: dict[str, Any]) -> Referral:
        return services.referral_close(
            actor, referral_id=referral_id, note=data["note"], expected_version=data["version"]
        )

    return _simple_form(
        request,
        referral_id,
        action="close",
        form_class=CloseForm,
        title="Close the referral",
        button="Close the referral",
        run=run,
        done="The referral has been closed",
    )


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    def run(actor: Actor, data: dict[str, Any]) -> Referral:
        return services.referral_withdraw(
            actor, referral_id=referral_id, reason=data["withdrawal_reason"], expected_version=data["version"]
        )

    return _simple_form(
        request,
        referral_id,
        action="withdraw",
        form_class=WithdrawForm,
        title="Withdraw the referral",
        button="Withdraw the referral",
        run=run,
        done="The referral has been withdrawn: the service no longer sees it or what you attached",
    )


def again(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """Refer again: a new referral, filled in from this one, for the referrer to check and send."""
    view = _view(request, referral_id)
    _may(request, view, "again")
    if gone := _not_now(request, view, "again"):
        return gone
    referral = view.referral.record
    data = {
        "urgency": [str(referral.urgency_id)],
        "to_team": [str(referral.to_team_id or "")],
        "reason": [referral.reason],
        "what_matters": [referral.what_matters],
        "risk_summary": [referral.risk_summary],
        "sharing_basis": [referral.sharing_basis],
        "consent": [str(referral.consent_id or "")],
        "agreement": [str(referral.agreement_id or "")],
        "sharing_note": [referral.sharing_note],
        "attachments": list(referral.attachments),
    }
    drafts.draft_seed(
        request.session,
        person_id=referral.person_id,
        pathway_id=referral.pathway_id,
        data=data,
        previous=referral.pk,
    )
    messages.info(request, "This is a new referral, filled in from the last one. Check every answer before you send it")
    return redirect("referrals:refer_details", person_id=referral.person_id)


# ---------------------------------------------------------------------------------------------
# Refer: choose a pathway, give the details, check your answers, send


@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Which service: each pathway with who it is for and what the referral must say."""
    actor = _require(request, Permission.RECORD_PEOPLE)
    access = person_or_404(request, person_id)
    pathways = list(selectors.pathways_for(actor))
    items = presenters.pathway_items(pathways)
    key = _draft_key(person_id)
    draft = request.session.get(key) or {}
    form = PathwayForm(
        request.POST if request.method == "POST" else None,
        pathways=[(i["value"], i["text"]) for i in items],
        initial={"pathway": draft.get("pathway")},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["pathway"]
        data = draft.get("data") or {}
        if draft.get("pathway") != chosen:  # keep the words; what belonged to the old pathway goes
            data = {k: v for k, v in data.items() if k not in ("urgency", "to_team", "agreement")}
        request.session[key] = {"pathway": chosen, "data": data, "previous": draft.get("previous")}
        return redirect("referrals:refer_details", person_id=person_id)
    context = {
        "title": "Choose where to refer",
        "form": form,
        "items": items,
        "person_name": access.name,
        "person_id": person_id,
        "error_count": len(form.errors),
    }
    return render(request, "referrals/refer_pathway.jinja", context)


def _draft_pathway(request: HttpRequest, actor: Actor, draft: dict[str, Any] | None) -> Pathway | None:
    return selectors.pathway_get(actor, draft.get("pathway")) if draft else None


def _choices(actor: Actor, access: PersonAccess, pathway: Pathway) -> dict[str, Any]:
    return {
        "urgencies": presenters.urgency_choices(pathway),
        "teams": presenters.team_choices(selectors.teams_of(pathway.to_agency_id)),
        "consents": presenters.consent_choices(access, actor.agency_id),
        "agreements": presenters.agreement_choices(selectors.agreements_between(actor.agency_id, pathway.to_agency_id)),
        "attachments": presenters.attachment_choices(access, actor.agency_id),
        "risk_required": pathway.requires_risk_summary,
    }


def _previous(request: HttpRequest, draft: dict[str, Any]) -> Referral | None:
    if not draft.get("previous"):
        return None
    try:
        view = selectors.referral_get(
            request_actor(request), referral_id=uuid.UUID(draft["previous"]), route=request.path
        )
    except (NotFound, ValueError):
        return None
    referral = view.referral.record
    return referral if referral.from_agency_id == request_actor(request).agency_id else None


def _service_kwargs(
    request: HttpRequest, access: PersonAccess, pathway: Pathway, data: dict[str, Any], previous: Referral | None
) -> dict[str, Any]:
    """The arguments of `referral_draft` from the form's answers (choices turned back into rows)."""
    actor = request_actor(request)
    user = request.user
    assert isinstance(user, User)
    consents = {str(s.record.pk): s.record for s in access.section("consents")}
    agreements = {str(a.pk): a for a in selectors.agreements_between(actor.agency_id, pathway.to_agency_id)}
    return {
        "person": access.person,
        "pathway": pathway,
        "urgency": next(u for u in pathway.urgencies.all() if str(u.pk) == data["urgency"]),
        "reason": data["reason"],
        "sharing_basis": data["sharing_basis"],
        "referred_by": user,
        "to_team": next((t for t in selectors.teams_of(pathway.to_agency_id) if str(t.pk) == data["to_team"]), None),
        "what_matters": data["what_matters"],
        "risk_summary": data["risk_summary"],
        "consent": consents.get(data.get("consent") or ""),
        "agreement": agreements.get(data.get("agreement") or ""),
        "sharing_note": data["sharing_note"],
        "attachments": list(data["attachments"]),
        "from_team": user.team,
        "previous": previous,
    }


class _DryRun(Exception):
    """Raised to roll back a draft written only to check it."""


def _check(actor: Actor, kwargs: dict[str, Any]) -> None:
    """Run the service's own checks without keeping anything (so the messages are the service's)."""
    try:
        with transaction.atomic():
            services.referral_draft(actor, **kwargs)
            raise _DryRun
    except _DryRun:
        pass


def _details_page(
    request: HttpRequest, access: PersonAccess, pathway: Pathway, form: ReferForm, previous: Referral | None
) -> HttpResponse:
    context = {
        "title": "Referral details",
        "form": form,
        "pathway": presenters.pathway_items([pathway])[0],
        "person_name": access.name,
        "person_id": access.person.pk,
        "previous": previous,
        "error_count": len(form.errors),
    }
    return render(request, "referrals/refer_details.jinja", context)


def _initial(data: dict[str, list[str]]) -> dict[str, Any]:
    return {k: (v if k == "attachments" else (v[0] if v else "")) for k, v in data.items()}


@require_http_methods(["GET", "POST"])
def refer_details(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """How urgent, why, what matters, the risks, why sharing is lawful, and which records go with it."""
    actor = _require(request, Permission.RECORD_PEOPLE)
    access = person_or_404(request, person_id)
    key = _draft_key(person_id)
    draft = request.session.get(key)
    pathway = _draft_pathway(request, actor, draft)
    if draft is None or pathway is None:
        return redirect("referrals:refer", person_id=person_id)
    previous = _previous(request, draft)
    choices = _choices(actor, access, pathway)
    if request.method != "POST":
        initial = _initial(draft.get("data") or {})
        initial.setdefault("to_team", str(pathway.to_team_id or ""))
        return _details_page(request, access, pathway, ReferForm(initial=initial, **choices), previous)
    form = ReferForm(request.POST, **choices)
    if form.is_valid():
        try:
            _check(actor, _service_kwargs(request, access, pathway, form.cleaned_data, previous))
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            data = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
            request.session[key] = {**draft, "data": data, "token": secrets.token_urlsafe(24)}
            return redirect("referrals:refer_check", person_id=person_id)
    return _details_page(request, access, pathway, form, previous)


def _claim(request: HttpRequest) -> dict[str, Any]:
    """The session as stored, with its row locked until the transaction ends (racing submits queue here)."""
    session = request.session
    if isinstance(session, DbSessionStore) and session.session_key:
        row = Session.objects.select_for_update().filter(session_key=session.session_key).first()
        if row is not None:
            stored = session.decode(row.session_data)
            # Another request may have changed it since this one began: carry on from what is stored.
            for key in [k for k in session.keys() if k.startswith(PREFIX)]:  # noqa: SIM118
                if key not in stored:
                    del session[key]
            for key, value in stored.items():
                if key.startswith(PREFIX):
                    session[key] = value
            return stored
    return dict(session.items())


@require_http_methods(["GET", "POST"])
def refer_check(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Check your answers; sending records the referral and sends it, once."""
    actor = _require(request, Permission.RECORD_PEOPLE)
    access = person_or_404(request, person_id)
    if request.method == "POST":
        return _send(request, actor, access)
    draft = request.session.get(_draft_key(person_id))
    pathway = _draft_pathway(request, actor, draft)
    if not draft or pathway is None or "token" not in draft:
        return redirect("referrals:refer_details" if pathway else "referrals:refer", person_id=person_id)
    choices = _choices(actor, access, pathway)
    form = ReferForm(MultiValueDict(draft["data"]), **choices)
    if not form.is_valid():
        return redirect("referrals:refer_details", person_id=person_id)
    previous = _previous(request, draft)
    names = {k: dict(v) for k, v in choices.items() if isinstance(v, list)}
    context = {
        "title": "Check your answers before sending the referral",
        "person_name": access.name,
        "person_id": person_id,
        "to_agency": pathway.to_agency.name,
        "rows": presenters.answer_rows(
            form.cleaned_data,
            pathway=pathway,
            names=names,
            pathway_url=reverse("referrals:refer", kwargs={"person_id": person_id}),
            details_url=reverse("referrals:refer_details", kwargs={"person_id": person_id}),
            previous=f"{previous.pathway.name}, {format_datetime(previous.sent_at or previous.created_at)}"
            if previous
            else "",
        ),
        "token": draft["token"],
    }
    return render(request, "referrals/refer_check.jinja", context)


def _send(request: HttpRequest, actor: Actor, access: PersonAccess) -> HttpResponse:
    person_id = access.person.pk
    token = request.POST.get("token", "")
    with transaction.atomic():
        stored = _claim(request)
        done = stored.get(DONE, {}).get(token) if token else None
        if done:
            messages.info(request, "This referral has already been sent")
            return redirect("referrals:detail", referral_id=done)
        draft = stored.get(_draft_key(person_id))
        if not draft or draft.get("token") != token:
            messages.info(request, "Your answers have changed since that page was shown: check them again")
            return redirect("referrals:refer_check" if draft else "referrals:refer", person_id=person_id)
        pathway = _draft_pathway(request, actor, draft)
        if pathway is None:
            return redirect("referrals:refer", person_id=person_id)
        previous = _previous(request, draft)
        form = ReferForm(MultiValueDict(draft["data"]), **_choices(actor, access, pathway))
        if not form.is_valid():
            return _details_page(request, access, pathway, form, previous)
        try:
            with transaction.atomic():  # drafted and sent together, or neither
                referral = services.referral_draft(
                    actor, **_service_kwargs(request, access, pathway, form.cleaned_data, previous)
                )
                referral = services.referral_send(actor, referral_id=referral.pk, expected_version=referral.version)
        except ValidationFailed as error:
            add_domain_errors(form, error)
            return _details_page(request, access, pathway, form, previous)
        request.session.pop(_draft_key(person_id), None)
        recorded = {**stored.get(DONE, {}), token: str(referral.pk)}
        request.session[DONE] = dict(list(recorded.items())[-20:])
        request.session.save()
    due = f" They should decide by {format_datetime(referral.due_at)}." if referral.due_at else ""
    messages.success(request, f"Your referral has been sent to {pathway.to_agency.name}.{due}")
    return redirect("referrals:detail", referral_id=referral.pk)
