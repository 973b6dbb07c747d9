"""The dashboard's figures in plain English, with the SafeLives benchmark beside those it applies to."""

from typing import Any

from joinedup.core.formatting import format_date
from joinedup.forums.selectors import dashboard as d
from joinedup.forums.selectors.dashboard import Figures

NONE_YET = "None in this period"


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value}}


def percent(share: float) -> str:
    # Half up, as people round (Python's round() would show 62.5 % as 62 %).
    return f"{int(share * 100 + 0.5)}%"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _cases(f: Figures) -> str:
    text = str(f.cases_heard)
    if f.cases_per_10k_women_a_year is None:
        return text
    rate = f"about {round(f.cases_per_10k_women_a_year)} a year per 10,000 adult women"
    if f.benchmarks:
        rate += f"; SafeLives suggests about {d.SAFELIVES_CASES_PER_10K_WOMEN}"
    return f"{text} ({rate})"


def _repeats(f: Figures) -> str:
    if f.repeat_rate is None:
        return NONE_YET
    text = f"{percent(f.repeat_rate)} ({f.repeats} of {f.cases_heard} cases heard before in the last 12 months)"
    if f.benchmarks:
        text += f"; national rate {percent(d.SAFELIVES_REPEAT_RATE)}"
    return text


def _referrals(f: Figures) -> str:
    if f.non_police_share is None:
        return "No referrals sent in this period"
    text = f"{percent(f.non_police_share)} ({f.non_police_referrals} of {f.referrals} referrals)"
    if f.benchmarks:
        text += f"; national figure {percent(d.SAFELIVES_NON_POLICE_SHARE)}"
    return text


def _actions(f: Figures) -> str:
    if f.on_time_rate is None:
        return "No actions have fallen due yet"
    return f"{percent(f.on_time_rate)} ({f.actions_on_time} of {f.actions_due} actions now due)"


def figure_rows(f: Figures) -> list[dict[str, Any]]:
    per_meeting = _number(f.cases_per_meeting) if f.cases_per_meeting is not None else NONE_YET
    minutes = f"{_number(f.minutes_per_case)} minutes" if f.minutes_per_case is not None else "Not recorded"
    waited = f.days_referral_to_meeting
    rows = [
        _row("Meetings held", str(f.meetings_held)),
        _row("Cases heard", _cases(f)),
        _row("Cases per meeting", per_meeting),
        _row("Repeat cases", _repeats(f)),
        _row("Referrals from agencies other than police", _referrals(f)),
        _row("Actions completed on time", _actions(f)),
        _row("Average time per case", minutes),
        _row("Referral to meeting (median)", f"{_number(waited)} days" if waited is not None else "Not recorded"),
    ]
    if f.benchmarks:
        idva = (
            f"{f.referrals} sent; SafeLives suggests about {d.SAFELIVES_REFERRALS_PER_IDVA} a year for each full-time"
        )
        idva += " independent domestic violence adviser (IDVA)"
        rows.append(_row("Referrals and IDVA capacity", idva))
    return rows


def attendance_rows(f: Figures) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": a.agency, "header": "Agency"},
            {"text": f"{a.attended} of {a.meetings}", "header": "Meetings attended or sent information"},
            {"text": percent(a.rate), "header": "Attendance"},
        ]
        for a in f.attendance
    ]


def period(f: Figures) -> str:
    return f"{format_date(f.start)} to {format_date(f.end)}"
