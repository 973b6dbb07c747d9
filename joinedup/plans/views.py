"""The plan pages: plans of the people my agency works with, write a plan, one plan, edit it (with the
conflict page when someone else saved first), goals, actions, history, compare, and the person's PDF."""

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.accounts.actors import request_actor
from joinedup.actions import presenters as action_presenters
from joinedup.core import clock
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.forms import add_domain_errors, keep_after_stale
from joinedup.people.pages import person_or_404
from joinedup.plans import history, pdf, presenters, rules, selectors, services
from joinedup.plans.forms import ActionForm, CreateForm, GoalForm, PlanForm
from joinedup.plans.models import Plan
from joinedup.plans.prompts import prompts
from joinedup.plans.selectors import PlanView

GOAL_VERSION_MISSING = "The goal could not be saved: open it again from the plan, check it, then make your change"


def _view(request: HttpRequest, plan_id: uuid.UUID, *, editing: bool = False) -> PlanView:
    """The plan, read through the policy (audited); 404 if unseen, or if editing and not allowed to."""
    try:
        view = selectors.plan_get(request_actor(request), plan_id, route=request.path)
    except NotFound:
        raise Http404("No such plan") from None
    if editing and not view.may_edit:
        raise Http404("No such plan")
    return view


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    shown = selectors.plans_of_my_people(request_actor(request), route=request.path)
    rows = presenters.items(shown, clock.today())
    return render(request, "plans/mine.jinja", {"title": "Plans for people your agency works with", "rows": rows})


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    if not rules.may_write_plans(actor):
        raise Http404("Not found")
    access = person_or_404(request, person_id)
    form = CreateForm(request.POST or None, initial={"form_token": CreateForm.new_token()})
    if request.method == "POST" and form.is_valid():
        try:
            plan, _ = services.plan_create(actor, person=access.person, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"The {plan.get_kind_display().lower()} has been started")
            return redirect("plans:edit", plan_id=plan.pk)
    name = access.name
    context = {"title": "Write a plan", "form": form, "person_name": name, "person_id": person_id}
    return render(request, "plans/form.jinja", {**context, "button_text": "Start the plan"})


@require_GET
def detail(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    view = _view(request, plan_id)
    plan, today = view.plan.record, clock.today()
    actions = selectors.plan_actions(request_actor(request), plan, route=request.path)
    context = {
        "title": plan.title,
        "plan": plan,
        "person_name": view.person_name,
        "summary": presenters.summary_rows(plan, today),
        "overdue": plan.review_overdue(today),
        "sections": presenters.sections(plan),
        "prompts": prompts(plan),
        "goals": [(g, presenters.goal_rows(g)) for g in view.goals],
        "actions": action_presenters.items(actions, today),
        "may_edit": view.may_edit,
        "versions": presenters.version_items(selectors.plan_versions(plan)[:5]),
    }
    return render(request, "plans/detail.jinja", context)


def _edit_form(request: HttpRequest, view: PlanView, data: Any = None) -> PlanForm:
    plan = view.plan.record
    agencies = selectors.team_agencies(request_actor(request), plan, route=request.path)
    initial = {name: getattr(plan, name) for name, _ in history.PLAN_FIELDS} | {"version": plan.version}
    return PlanForm(data, initial=initial, agencies=agencies, crisis_sections=plan.has_crisis_sections)


def _yours(plan: Plan, form: PlanForm) -> dict[str, str]:
    """Each field of the form as the user posted it, in the words a version keeps."""
    mine = copy.copy(plan)
    for name, value in form.changes().items():
        setattr(mine, name, value)
    return {name: text for name, text in history.plan_text(mine).items() if name in form.fields}


def _edited(yours: dict[str, str], base: dict[str, str] | None) -> set[str]:
    """The fields the user changed from the version they opened (all of them, if it is not known)."""
    return {name for name, text in yours.items() if base is None or text != base.get(name, "")}


@dataclass
class Merge:
    conflicts: list[presenters.ConflictRow] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # labels of fields now holding the other person's save


def _merge(form: PlanForm, view: PlanView, seen: int, base: dict[str, str] | None, yours: dict[str, str]) -> Merge:
    """After a stale save: every field only the other person changed now holds their saved value in
    the form (so saving again keeps it); the fields both changed are the conflicts, theirs beside
    yours, and the form keeps yours."""
    plan = view.plan.record
    edited = _edited(yours, base)
    now = history.plan_text(plan)
    theirs_only = [name for name in yours if name not in edited and base is not None and now[name] != base[name]]
    form.show_saved(plan, theirs_only)
    since = selectors.versions_since(plan, seen)
    return Merge(
        conflicts=presenters.conflict_rows(plan, base, since, yours, edited),
        kept=[history.LABELS[name] for name in theirs_only],
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    view = _view(request, plan_id, editing=True)
    form = _edit_form(request, view, request.POST if request.method == "POST" else None)
    merge: Merge | None = None
    if request.method == "POST" and form.is_valid():
        seen = form.cleaned_data["version"]
        opened = selectors.version_at(view.plan.record, seen)
        base = opened.snapshot["fields"] if opened else None
        yours = _yours(view.plan.record, form)
        # Only what the user changed is saved: a field they left alone never undoes someone else's save.
        changes = {name: value for name, value in form.changes().items() if name in _edited(yours, base)}
        try:
            services.plan_update(request_actor(request), plan_id=plan_id, expected_version=seen, changes=changes)
        except StaleVersion as error:
            view = _view(request, plan_id, editing=True)  # read again: the conflict page shows their save
            merge = _merge(form, view, seen, base, yours)
            keep_after_stale(form, error)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "The plan has been saved")
            return redirect("plans:detail", plan_id=plan_id)
    context = {
        "title": "Someone else changed this plan" if merge else f"Edit: {view.plan.record.title}",
        "plan": view.plan.record,
        "person_name": view.person_name,
        "form": form,
        "conflicts": merge.conflicts if merge else [],
        "kept": merge.kept if merge else [],
        "crisis_sections": view.plan.record.has_crisis_sections,
        "error_count": len(form.errors),
    }
    return render(request, "plans/edit.jinja", context)


@require_http_methods(["GET", "POST"])
def goal(request: HttpRequest, plan_id: uuid.UUID, goal_id: uuid.UUID | None = None) -> HttpResponse:
    """Add a goal (no goal_id) or change one, at the version the user saw."""
    view = _view(request, plan_id, editing=True)
    existing = None
    if goal_id is not None:
        try:
            existing = selectors.goal_get(view, goal_id)
        except NotFound:
            raise Http404("No such goal") from None
    initial: dict[str, Any] = {"status": "not_started"}
    if existing is not None:
        initial = {n: getattr(existing, n) for n in ("description", "target_on", "measure", "status")}
        initial["version"] = existing.version
    form = GoalForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = request_actor(request)
        try:
            if existing is None:
                services.goal_add(actor, plan_id=plan_id, **form.changes())
            elif form.cleaned_data["version"] is None:
                # Without the version the user saw, a save could overwrite a change they never read.
                raise ValidationFailed({"": GOAL_VERSION_MISSING})
            else:
                version = form.cleaned_data["version"]
                services.goal_update(
                    actor, plan_id=plan_id, goal_id=existing.pk, expected_version=version, changes=form.changes()
                )
        except StaleVersion as error:
            keep_after_stale(form, error)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "The goal has been saved")
            return redirect("plans:detail", plan_id=plan_id)
    context = {
        "title": "Change a goal" if existing else "Add a goal",
        "plan": view.plan.record,
        "person_name": view.person_name,
        "form": form,
        "saved": presenters.saved_goal_rows(existing) if existing is not None and form.non_field_errors() else [],
        "button_text": "Save the goal",
    }
    return render(request, "plans/form.jinja", context)


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    view = _view(request, plan_id, editing=True)
    actor, plan = request_actor(request), view.plan.record
    form = ActionForm(request.POST or None, agencies=selectors.team_agencies(actor, plan, route=request.path))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_add(actor, plan_id=plan_id, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "The action has been added to the plan")
            return redirect("plans:detail", plan_id=plan_id)
    context = {"title": "Add who does what, by when", "plan": plan, "person_name": view.person_name, "form": form}
    return render(request, "plans/form.jinja", {**context, "button_text": "Add the action"})


@require_GET
def versions(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    view = _view(request, plan_id)
    rows = presenters.version_items(selectors.plan_versions(view.plan.record))
    context = {"title": "History of the plan", "plan": view.plan.record, "person_name": view.person_name}
    return render(request, "plans/history.jinja", {**context, "versions": rows})


@require_GET
def compare(request: HttpRequest, plan_id: uuid.UUID, number: int) -> HttpResponse:
    view = _view(request, plan_id)
    try:
        newer, older = selectors.plan_version_pair(view.plan.record, number)
    except NotFound:
        raise Http404("No such version") from None
    changes = history.compare(older.snapshot, newer.snapshot) if older else []
    context = {
        "title": f"Version {number} compared with version {number - 1}" if older else "The first version",
        "plan": view.plan.record,
        "person_name": view.person_name,
        "version": presenters.version_items([newer])[0],
        "first": older is None,
        "changes": changes,
    }
    return render(request, "plans/compare.jinja", context)


@require_GET
def person_copy(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    """The person's printable copy: printing is a read, audited like any other."""
    view = _view(request, plan_id)
    plan = view.plan.record
    actions = selectors.plan_actions(request_actor(request), plan, route=request.path)
    body = pdf.render_copy(pdf.copy_context(plan, view.goals, actions, clock.today()))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}.pdf"'
    return response
