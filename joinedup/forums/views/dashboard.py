"""The forum dashboard: aggregate figures for a period, for organisers, member managers and analysts."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.accounts.actors import request_actor
from joinedup.core import clock
from joinedup.core.errors import NotFound
from joinedup.forums import presenters_dashboard as presenters
from joinedup.forums.forms_dashboard import PeriodForm
from joinedup.forums.selectors import dashboard as selectors


@require_GET
def dashboard(request: HttpRequest, forum_id: uuid.UUID) -> HttpResponse:
    form = PeriodForm(request.GET.dict(), default=selectors.default_period(clock.today()))
    start, end = form.period()
    try:
        forum, figures = selectors.dashboard_get(request_actor(request), forum_id=forum_id, start=start, end=end)
    except NotFound:
        raise Http404("No such forum") from None
    context = {
        "title": f"{forum.name}: dashboard",
        "forum": forum,
        "form": form,
        "error_count": len(form.errors),
        "period": presenters.period(figures),
        "rows": presenters.figure_rows(figures),
        "attendance": presenters.attendance_rows(figures),
        "benchmarks": figures.benchmarks,
    }
    return render(request, "forums/dashboard.jinja", context)
