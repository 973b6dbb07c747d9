import datetime
import html as html_lib
import re
import shutil
import subprocess

import pytest

from joinedup.actions.models import Action
from joinedup.audit.models import AccessEvent
from joinedup.core.tests.helpers import actor
from joinedup.plans import services
from joinedup.plans.models import Plan
from joinedup.plans.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def _form(plan: Plan, **overrides: str) -> dict[str, str]:
    """What the edit form posts for the plan as it is, with some fields changed."""
    data = {
        "version": str(plan.version),
        "title": plan.title,
        "status": plan.status,
        "lead_agency": str(plan.lead_agency_id or ""),
        "review_on_day": str(plan.review_on.day) if plan.review_on else "",
        "review_on_month": str(plan.review_on.month) if plan.review_on else "",
        "review_on_year": str(plan.review_on.year) if plan.review_on else "",
        "strengths": plan.strengths,
        "what_matters": plan.what_matters,
        "carer_name": plan.carer_name,
        "advocate_name": plan.advocate_name,
        "person_agreed": plan.person_agreed,
        "person_comments": plan.person_comments,
    }
    return data | overrides


def test_the_person_page_lists_plans_and_flags_an_overdue_review(client_for, partnership, shared):
    Plan.objects.filter(pk=shared.plan.pk).update(status="active", review_on=TODAY - datetime.timedelta(days=1))
    html = client_for(partnership.housing_officer).get(f"/people/{shared.person.pk}/").content.decode()
    assert "Robin&#39;s care and support plan" in html and "Review overdue" in html


def test_write_a_plan_then_a_second_submit_of_the_same_form_makes_no_second_plan(client_for, partnership, shared):
    client = client_for(partnership.practitioner)
    page = client.get(f"/plans/people/{shared.person.pk}/new")
    assert page.status_code == 200
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    body = {"kind": "crisis", "title": "", "form_token": token}
    first = client.post(f"/plans/people/{shared.person.pk}/new", body)
    second = client.post(f"/plans/people/{shared.person.pk}/new", body)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Plan.objects.filter(person=shared.person, kind="crisis").count() == 1
    missing = client.post(f"/plans/people/{shared.person.pk}/new", {"form_token": "x"})
    assert "Choose the kind of plan" in missing.content.decode()


def test_the_conflict_page_keeps_your_text_shows_theirs_and_merging_saves_both(client_for, partnership, shared):
    plan = shared.plan
    opened = _form(plan)  # both open the form at version 1
    housing = client_for(partnership.housing_officer)
    saved = housing.post(f"/plans/{plan.pk}/edit", opened | {"what_matters": "Keeping my flat, and my dog Bess"})
    assert saved.status_code == 302

    mh = client_for(partnership.practitioner)
    mine = "Seeing my sister every Sunday"
    conflict = mh.post(f"/plans/{plan.pk}/edit", opened | {"what_matters": mine, "strengths": "Patient, funny"})
    html = conflict.content.decode()
    assert conflict.status_code == 200
    assert "Someone else changed this plan" in html and "housing.officer" in html
    assert "Keeping my flat, and my dog Bess" in html  # theirs
    theirs = re.findall(r'class="nhsuk-summary-list__value conflict-theirs">([^<]*)<', html)
    yours = re.findall(r'class="nhsuk-summary-list__value conflict-yours">([^<]*)<', html)
    assert [html_lib.unescape(t).strip() for t in theirs] == ["Keeping my flat, and my dog Bess"]
    assert [html_lib.unescape(t).strip() for t in yours] == [mine]
    assert re.search(r'<textarea[^>]*name="what_matters"[^>]*>\s*' + mine, html)  # kept in the form to merge
    assert re.search(r'<textarea[^>]*name="strengths"[^>]*>\s*Patient, funny', html)
    assert re.search(r'name="version" value="2"', html)
    assert Plan.objects.get(pk=plan.pk).what_matters == "Keeping my flat, and my dog Bess"

    merged = "Keeping my flat, my dog Bess, and seeing my sister every Sunday"
    again = mh.post(
        f"/plans/{plan.pk}/edit", opened | {"version": "2", "what_matters": merged, "strengths": "Patient, funny"}
    )
    assert again.status_code == 302
    plan.refresh_from_db()
    assert (plan.what_matters, plan.strengths, plan.version) == (merged, "Patient, funny", 3)
    history = mh.get(f"/plans/{plan.pk}/history").content.decode()
    assert "Northshire Housing" in history and "Northshire Mental Health" in history
    compare = mh.get(f"/plans/{plan.pk}/history/3").content.decode()
    assert "<del>" in compare and "<ins>" in compare and "removed: " in compare


def test_an_invalid_edit_keeps_the_text_and_names_the_field(client_for, partnership, shared):
    client = client_for(partnership.practitioner)
    body = _form(shared.plan, strengths="New words", review_on_day="1", review_on_month="1", review_on_year="2026")
    page = client.post(f"/plans/{shared.plan.pk}/edit", body)
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    assert "The review date must be today or in the future" in html and "New words" in html


def test_outsiders_get_404_for_every_plan_page(client_for, partnership, shared):
    client = client_for(partnership.police_officer)
    for path in ("", "edit", "history", "history/1", "my-plan.pdf", "goals/new", "actions/new"):
        assert client.get(f"/plans/{shared.plan.pk}/{path}").status_code == 404, path
    assert AccessEvent.objects.filter(person_id=shared.person.pk, outcome="denied").exists()


def test_a_volunteer_may_read_the_plan_but_not_edit_it(client_for, partnership, shared):
    from joinedup.people.tests.factories import InvolvementFactory

    InvolvementFactory(person=shared.person, agency=partnership.voluntary)
    client = client_for(partnership.volunteer)
    assert client.get(f"/plans/{shared.plan.pk}/").status_code == 200
    assert client.get(f"/plans/{shared.plan.pk}/edit").status_code == 404


def test_goals_and_actions_are_added_from_the_plan_page(client_for, partnership, shared):
    client = client_for(partnership.housing_officer)
    due = TODAY + datetime.timedelta(days=14)
    goal = client.post(
        f"/plans/{shared.plan.pk}/goals/new",
        {"description": "Clear the rent arrears", "measure": "Account at zero", "status": "not_started"},
    )
    assert goal.status_code == 302
    action = client.post(
        f"/plans/{shared.plan.pk}/actions/new",
        {
            "description": "Set up a repayment plan",
            "owner_agency": str(partnership.housing.pk),
            "due_on_day": str(due.day),
            "due_on_month": str(due.month),
            "due_on_year": str(due.year),
        },
    )
    assert action.status_code == 302
    page = client.get(f"/plans/{shared.plan.pk}/").content.decode()
    assert "Clear the rent arrears" in page and "Set up a repayment plan" in page
    assert Action.objects.get(person=shared.person).source_ref == f"plans.plan:{shared.plan.pk}"


def test_a_stale_goal_save_keeps_the_text_and_shows_the_saved_goal(client_for, partnership, shared):
    goal = services.goal_add(actor(partnership.practitioner), plan_id=shared.plan.pk, description="Walk daily")
    services.goal_update(
        actor(partnership.practitioner),
        plan_id=shared.plan.pk,
        goal_id=goal.pk,
        expected_version=1,
        changes={"description": "Walk the dog daily"},
    )
    page = client_for(partnership.housing_officer).post(
        f"/plans/{shared.plan.pk}/goals/{goal.pk}/",
        {"version": "1", "description": "Walk to the shops", "status": "in_progress"},
    )
    html = page.content.decode()
    assert "changed by mh.practitioner" in html and "Walk to the shops" in html and "Walk the dog daily" in html


def test_the_person_copy_is_a_plain_english_pdf_and_printing_is_audited(client_for, partnership, shared):
    who = actor(partnership.practitioner)
    services.goal_add(who, plan_id=shared.plan.pk, description="Get back to the allotment twice a week")
    services.plan_action_add(
        who,
        plan_id=shared.plan.pk,
        description="Call Robin every Monday",
        owner_agency=partnership.mental_health,
        due_on=TODAY + datetime.timedelta(days=7),
    )
    before = AccessEvent.objects.filter(person_id=shared.person.pk).count()
    response = client_for(partnership.housing_officer).get(f"/plans/{shared.plan.pk}/my-plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(person_id=shared.person.pk).count() > before
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: checked only that a PDF was made")
    out = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = " ".join(out.decode().split())
    for words in (
        "My care and support plan",
        "What matters to me",
        "Keeping my flat and seeing my sister",
        "My goals",
        "Get back to the allotment twice a week",
        "Who will do what, and by when",
        "When to review",
        "9 May 2026",
    ):
        assert words in text, words
    # Housing works with Robin, so it may read mental health's action (coordination): it is printed.
    assert "Call Robin every Monday (Northshire Mental Health, by 17 March 2026)" in text
    assert "coordination" not in text.lower() and "category" not in text.lower()


def test_the_person_copy_leaves_out_what_the_reader_may_not_see(client_for, partnership, shared):
    """A sealed action of police (working with Robin too) is police's alone: housing's copy leaves it out."""
    from joinedup.people.tests.factories import InvolvementFactory

    InvolvementFactory(person=shared.person, agency=partnership.police)
    sealed = services.plan_action_add(
        actor(partnership.police_officer),
        plan_id=shared.plan.pk,
        description="Police welfare check",
        owner_agency=partnership.police,
        due_on=TODAY + datetime.timedelta(days=7),
    )
    Action.objects.filter(pk=sealed.pk).update(sealed=True)
    assert client_for(partnership.volunteer).get(f"/plans/{shared.plan.pk}/my-plan.pdf").status_code == 404
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    police = client_for(partnership.police_officer).get(f"/plans/{shared.plan.pk}/my-plan.pdf")
    housing = client_for(partnership.housing_officer).get(f"/plans/{shared.plan.pk}/my-plan.pdf")
    text = {
        who: subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True, check=True).stdout.decode()
        for who, r in (("police", police), ("housing", housing))
    }
    assert "Police welfare check" in text["police"] and "Police welfare check" not in text["housing"]


def test_changing_a_goal_needs_the_version_the_user_saw(client_for, partnership, shared):
    goal = services.goal_add(actor(partnership.practitioner), plan_id=shared.plan.pk, description="Walk daily")
    client = client_for(partnership.housing_officer)
    page = client.post(
        f"/plans/{shared.plan.pk}/goals/{goal.pk}/", {"description": "Walk to the shops", "status": "in_progress"}
    )
    html = html_lib.unescape(page.content.decode())
    assert page.status_code == 200 and "open it again from the plan" in html and "Walk to the shops" in html
    goal.refresh_from_db()
    assert (goal.description, goal.version) == ("Walk daily", 1)
    saved = client.post(
        f"/plans/{shared.plan.pk}/goals/{goal.pk}/",
        {"version": "1", "description": "Walk to the shops", "status": "in_progress"},
    )
    assert saved.status_code == 302


def test_under_emergency_access_the_listed_plan_opens_and_each_read_is_an_emergency_read(
    client_for, partnership, shared, settings
):
    """The person page lists a crisis plan under an emergency grant; the plan, its history, a compare,
    the person's copy and the API must open it too, each read on the record as an emergency read."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from joinedup.sharing import services as sharing_services
    from joinedup.sharing.models import EmergencyReason

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    practitioner = actor(partnership.practitioner)
    crisis, _ = services.plan_create(practitioner, person=shared.person, kind="crisis", what_helps="My sister")
    services.plan_update(practitioner, plan_id=crisis.pk, expected_version=1, changes={"what_helps": "Tea, quiet"})
    officer = partnership.police_officer
    client = client_for(officer)
    assert client.get(f"/plans/{crisis.pk}/").status_code == 404  # no ground before the grant

    device, _ = TOTPDevice.objects.get_or_create(user=officer, confirmed=True, defaults={"name": "Test app"})
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
    sharing_services.emergency_grant_request(
        actor(officer),
        person=shared.person,
        reason=EmergencyReason.RISK_TO_LIFE,
        explanation="On the bridge, threatening to jump",
        mfa_code=code,
    )
    assert f"/plans/{crisis.pk}/" in client.get(f"/people/{shared.person.pk}/").content.decode()
    for path in (f"/plans/{crisis.pk}/", f"/plans/{crisis.pk}/history", f"/plans/{crisis.pk}/history/2"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "Tea, quiet" in page.content.decode() or path.endswith("history"), path
    assert client.get(f"/plans/{crisis.pk}/edit").status_code == 404  # a grant is for reading
    assert client.get(f"/api/v1/plans/{crisis.pk}").json()["what_helps"] == "Tea, quiet"
    listed = client.get(f"/api/v1/plans/people/{shared.person.pk}").json()
    assert str(crisis.pk) in [r["id"] for r in listed["results"]]
    pdf = client.get(f"/plans/{crisis.pk}/my-plan.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reads = AccessEvent.objects.filter(actor_user_id=officer.pk, route__contains=str(crisis.pk), outcome="allowed")
    assert reads.count() >= 5 and set(reads.values_list("purpose", flat=True)) == {"emergency"}


def _posted_form(html: str) -> dict[str, str]:
    """What a browser would send back from the edit page as it stands (text inputs, text areas,
    ticked boxes and checked radios, and the chosen option of each select)."""
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name is None or name.group(1) == "csrfmiddlewaretoken":
            continue
        kind = (re.search(r'type="([^"]+)"', tag) or re.search("(.)", "text")).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        if kind in ("checkbox", "radio") and "checked" not in tag:
            continue
        data[name.group(1)] = html_lib.unescape(value.group(1)) if value else ("on" if kind == "checkbox" else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = html_lib.unescape(body).removeprefix("\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_saving_the_conflict_page_again_keeps_what_only_the_other_person_changed(client_for, partnership, shared):
    """Each changed a different field from the same version: the conflict page lists no field as a
    conflict, shows the other's words in the field the user left alone, and saving it again (as it
    stands) keeps both."""
    plan = shared.plan
    opened = _form(plan)
    housing = client_for(partnership.housing_officer)
    assert housing.post(f"/plans/{plan.pk}/edit", opened | {"what_matters": "Keeping my dog Bess"}).status_code == 302

    mh = client_for(partnership.practitioner)
    conflict = mh.post(f"/plans/{plan.pk}/edit", opened | {"strengths": "Patient, funny", "carer_involved": "on"})
    html = conflict.content.decode()
    assert conflict.status_code == 200 and "Someone else changed this plan" in html
    assert "conflict-theirs" not in html  # no field did both change
    assert "What matters to the person" in html  # named as kept from their save
    form = _posted_form(html)
    assert form["what_matters"] == "Keeping my dog Bess" and form["strengths"] == "Patient, funny"
    assert form["version"] == "2" and form["carer_involved"] == "on"
    assert mh.post(f"/plans/{plan.pk}/edit", form).status_code == 302
    plan.refresh_from_db()
    assert (plan.what_matters, plan.strengths, plan.carer_involved, plan.version) == (
        "Keeping my dog Bess",
        "Patient, funny",
        True,
        3,
    )
