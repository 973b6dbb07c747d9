import datetime

import pytest

from joinedup.audit.models import ChangeEvent
from joinedup.core import clock
from joinedup.core.errors import NotFound, StaleVersion, ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Category
from joinedup.risk import catalogue, services
from joinedup.risk.catalogue import ToolVersionClash
from joinedup.risk.definitions import shipped
from joinedup.risk.models import Flag, FlagState, RiskTool
from joinedup.risk.tests.answers import answers_for

pytestmark = pytest.mark.django_db


def test_tools_load_once_and_a_changed_definition_needs_a_new_version():
    first = catalogue.load()
    assert catalogue.load() == first
    assert RiskTool.objects.count() == 2
    changed = shipped()[0].model_copy(update={"name": "Renamed without a new version"})
    with pytest.raises(ToolVersionClash):
        catalogue.load([changed])
    bumped = shipped()[0].model_copy(update={"name": "Checklist, next edition", "version": shipped()[0].version + 1})
    catalogue.load([bumped])
    assert RiskTool.objects.filter(slug=bumped.slug).count() == 2


def test_an_assessment_records_the_result_in_a_series_with_its_change_event(partnership, setting):
    worker = actor(partnership.substance_worker)
    first = services.assessment_complete(
        worker, person=setting.person, tool=setting.da, answers=answers_for(setting.da.spec, yes=15)
    )
    assert (first.score, first.final_level, first.version, first.previous) == (15, "high", 1, None)
    assert first.category == Category.SAFEGUARDING and first.recorded_by == partnership.substance_use
    assert first.assessor == partnership.substance_worker and first.assessed_on == clock.today()
    assert ChangeEvent.objects.filter(action="assessment_complete", object_id=str(first.pk)).count() == 1
    second = services.assessment_complete(
        worker, person=setting.person, tool=setting.da, answers=answers_for(setting.da.spec, yes=3), expected_version=1
    )
    assert (second.version, second.previous, second.final_level) == (2, first, "standard")
    mh = services.assessment_complete(
        worker, person=setting.person, tool=setting.mh, answers=answers_for(setting.mh.spec)
    )
    assert (mh.version, mh.category) == (1, Category.RISK)


def test_an_old_tool_version_keeps_its_assessments(partnership, setting):
    worker = actor(partnership.substance_worker)
    old = services.assessment_complete(
        worker, person=setting.person, tool=setting.da, answers=answers_for(setting.da.spec, yes=14)
    )
    bumped = setting.da.spec.model_copy(update={"version": setting.da.version + 1, "name": "Checklist, next edition"})
    catalogue.load([bumped])
    old.refresh_from_db()
    assert old.tool == setting.da and old.tool.version == setting.da.version


def test_a_colleague_completing_one_first_is_a_stale_series(partnership, setting):
    worker = actor(partnership.substance_worker)
    answers = answers_for(setting.da.spec, yes=2)
    services.assessment_complete(worker, person=setting.person, tool=setting.da, answers=answers, expected_version=0)
    with pytest.raises(StaleVersion, match=r"changed by recovery\.worker"):
        services.assessment_complete(
            worker, person=setting.person, tool=setting.da, answers=answers, expected_version=0
        )


def test_bad_answers_lowering_and_future_dates_are_refused_and_nothing_is_saved(partnership, setting):
    worker = actor(partnership.substance_worker)
    answers = answers_for(setting.da.spec, yes=14)
    del answers["threats_to_kill"]
    tomorrow = clock.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        services.assessment_complete(
            worker, person=setting.person, tool=setting.da, answers=answers, assessed_on=tomorrow
        )
    assert set(refused.value.errors) == {"threats_to_kill", "assessed_on"}
    with pytest.raises(ValidationFailed, match="never lower"):
        services.assessment_complete(
            worker,
            person=setting.person,
            tool=setting.da,
            answers=answers_for(setting.da.spec, yes=14),
            judgement_level="medium",
            judgement_reasons="Seems calmer",
        )
    with pytest.raises(ValidationFailed):
        services.assessment_complete(
            actor(partnership.volunteer), person=setting.person, tool=setting.da, answers=answers_for(setting.da.spec)
        )
    assert not ChangeEvent.objects.filter(action="assessment_complete").exists()


def test_judgement_raises_with_reasons(partnership, setting):
    raised = services.assessment_complete(
        actor(partnership.substance_worker),
        person=setting.person,
        tool=setting.da,
        answers=answers_for(setting.da.spec, yes=4),
        judgement_level="high",
        judgement_reasons="She told me he has a new gun licence",
    )
    assert (raised.calculated_level, raised.judgement_level, raised.final_level) == ("standard", "high", "high")


def _flag(partnership, setting, **overrides):
    values = {
        "kind": "risk_to_staff",
        "reason": "Visit in pairs: threatened a worker with a knife in March",
        "starts_on": clock.today(),
        "ends_on": clock.today() + datetime.timedelta(days=90),
    }
    return services.flag_add(actor(partnership.substance_worker), person=setting.person, **(values | overrides))


def test_a_flag_takes_its_kinds_category_and_expires_visibly(partnership, setting):
    flag = _flag(partnership, setting)
    assert flag.category == Category.RISK and flag.author == partnership.substance_worker
    assert _flag(partnership, setting, kind="domestic_abuse").category == Category.SAFEGUARDING
    assert (
        _flag(partnership, setting, kind="domestic_abuse", category="criminal_justice").category == "criminal_justice"
    )
    assert flag.state() == FlagState.CURRENT
    assert flag.state(flag.ends_on + datetime.timedelta(days=1)) == FlagState.EXPIRED
    assert flag.state(flag.starts_on - datetime.timedelta(days=1)) == FlagState.UPCOMING


def test_flag_periods_and_reasons_are_checked(partnership, setting):
    with pytest.raises(ValidationFailed) as refused:
        _flag(
            partnership,
            setting,
            kind="nonsense",
            reason=" ",
            ends_on=clock.today() - datetime.timedelta(days=1),
            category="identity",
        )
    assert set(refused.value.errors) == {"kind", "reason", "ends_on", "category"}
    with pytest.raises(ValidationFailed, match="at most two years"):
        _flag(partnership, setting, ends_on=clock.today() + datetime.timedelta(days=800))
    assert not Flag.objects.exists()


def test_ending_a_flag_early_keeps_it_with_why_and_checks_the_version(partnership, setting):
    flag = _flag(partnership, setting)
    with pytest.raises(NotFound):
        services.flag_end(actor(partnership.housing_officer), flag_id=flag.pk, reason="Not ours to end")
    with pytest.raises(ValidationFailed):
        services.flag_end(actor(partnership.substance_worker), flag_id=flag.pk, reason="")
    ended = services.flag_end(
        actor(partnership.substance_worker), flag_id=flag.pk, reason="Moved out of area", expected_version=1
    )
    assert (ended.state(), ended.version, ended.end_reason) == (FlagState.ENDED, 2, "Moved out of area")
    with pytest.raises(StaleVersion):
        services.flag_end(actor(partnership.substance_worker), flag_id=flag.pk, reason="Again", expected_version=1)
    assert ChangeEvent.objects.filter(action="flag_end", object_id=str(flag.pk)).count() == 1
