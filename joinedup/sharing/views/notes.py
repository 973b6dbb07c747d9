"""The "add a case note" page."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from joinedup.accounts.actors import request_actor
from joinedup.accounts.rules import Permission, has_permission
from joinedup.core.errors import NotFound, ValidationFailed
from joinedup.core.forms import add_domain_errors
from joinedup.sharing.forms.notes import CaseNoteForm
from joinedup.sharing.selectors.consent import sharing_person_get
from joinedup.sharing.services.notes import case_note_add


@require_http_methods(["GET", "POST"])
def case_note_new(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Write a note; its category (chosen here) decides which other agencies may read it."""
    actor = request_actor(request)
    if not has_permission(actor, Permission.RECORD_PEOPLE):
        raise Http404("Not found")
    try:
        access = sharing_person_get(actor, person_id=person_id, route=request.path)
    except NotFound:
        raise Http404("No such person") from None
    form = CaseNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_note_add(actor, person=access.person, **form.cleaned_data)
        except ValidationFailed as error:
            add_domain_errors(form, error)
        else:
            sealed = " It is sealed: only your agency can see it." if form.cleaned_data["sealed"] else ""
            messages.success(request, f"The case note has been added.{sealed}")
            return redirect("people:detail", person_id=person_id)
    context = {
        "title": "Add a case note",
        "form": form,
        "person_name": access.name,
        "person_id": person_id,
        "error_count": len(form.errors),
    }
    return render(request, "sharing/case_note_form.jinja", context)
