"""The demo partnership's pathways (configured as data, as any partnership would configure its own)."""

from collections.abc import Iterable
from dataclasses import dataclass

from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.referrals.models import Pathway, PathwayKind, UrgencyLevel
from joinedup.sharing.models import Forum

URGENT_4H = ("Urgent", 4, "hours")
SAME_DAY = ("Same day", 8, "working_hours")
ROUTINE_5D = ("Routine", 5, "working_days")


@dataclass(frozen=True)
class PathwaySpec:
    name: str
    to: str
    sources: list[str]
    description: str
    guidance: str
    required: list[str]
    urgencies: list[tuple[str, int, str]]


PATHWAYS = [
    PathwaySpec(
        name="Community Triage",
        to="crisis",
        sources=["police", "ambulance"],
        description="Police officers and ambulance crews with a person in distress speak to a mental health "
        "clinician before deciding what to do, so that no one is taken to the emergency department only because "
        "nobody else could be reached.",
        guidance="Use it whenever you are with someone in mental distress and are unsure what they need. "
        "Call the triage line first; refer here as you finish the call so the crisis hub has the details.",
        required=[
            "What you saw and what the person said",
            "Any risk to the person or to others",
            "Where the person is now",
        ],
        urgencies=[URGENT_4H],
    ),
    PathwaySpec(
        name="Crisis team referral",
        to="crisis",
        sources=[],
        description="Referral to the crisis and home treatment team for someone in a mental health crisis.",
        guidance="For adults whose distress is severe enough that they may need urgent assessment or home "
        "treatment. If in doubt, refer and say what worries you: the team will talk it through with you.",
        required=["What has changed recently", "Current risks", "Who else is involved"],
        urgencies=[URGENT_4H, SAME_DAY],
    ),
    PathwaySpec(
        name="Joint working: substance use and mental health",
        to="cmht",
        sources=["recovery"],
        description="Joint working between the recovery service and the community mental health service for "
        "people with both mental health and substance use needs.",
        guidance="For people whose mental health and substance use affect each other, whatever the order in "
        "which they came to services. Do not wait for the person to stop using before you refer.",
        required=["Current substance use", "Mental health concerns", "What the person wants help with"],
        urgencies=[SAME_DAY, ROUTINE_5D],
    ),
    PathwaySpec(
        name="Joint working: mental health and substance use",
        to="recovery",
        sources=["cmht", "crisis"],
        description="The same joint working protocol, from the mental health side.",
        guidance="For people in mental health services whose substance use is part of the picture.",
        required=["Current substance use", "Mental health concerns"],
        urgencies=[SAME_DAY, ROUTINE_5D],
    ),
    PathwaySpec(
        name="Housing referral",
        to="housing",
        sources=[],
        description="Referral to the council's housing options service, including the duty to refer.",
        guidance="For anyone homeless or at risk of homelessness within 56 days. Say where the person is "
        "staying tonight.",
        required=["Where the person is staying", "Any risk from others (for example domestic abuse)"],
        urgencies=[SAME_DAY, ROUTINE_5D],
    ),
]


def seed_pathways(agencies: dict[str, Agency]) -> list[Pathway]:
    made = []
    for spec in PATHWAYS:
        pathway = Pathway.objects.create(
            name=spec.name,
            kind=PathwayKind.PROFESSIONAL,
            description=spec.description,
            to_agency=agencies[spec.to],
            eligibility_guidance=spec.guidance,
            required_information=spec.required,
        )
        pathway.from_agencies.set([agencies[slug] for slug in spec.sources])
        for order, (name, target, unit) in enumerate(spec.urgencies, start=1):
            UrgencyLevel.objects.create(pathway=pathway, name=name, target=target, unit=unit, order=order)
        made.append(pathway)
    return made


def seed_forum_pathways(forums: Iterable[Forum]) -> list[Pathway]:
    """A referral pathway into each forum, from its member agencies, decided by the host's coordinator.

    Accepting such a referral lists the person as a current case of the forum.
    """
    made = []
    now = clock.now()
    for forum in forums:
        pathway = Pathway.objects.create(
            name=f"Refer to the {forum.name}",
            kind=PathwayKind.FORUM,
            description=f"Ask for the person to be discussed at the {forum.name}, so that the agencies "
            "working with them agree a lead agency and a joint plan.",
            to_agency=forum.host,
            forum=forum,
            eligibility_guidance="For people whose needs no one agency can meet alone, or where agencies disagree "
            "about who should lead. Say what you have tried and what you want the forum to decide.",
            required_information=[
                "What you want the forum to decide",
                "Which agencies are involved and what each is doing",
                "What the person wants, and whether they know about the referral",
            ],
        )
        members = forum.memberships.filter(starts_at__lte=now).exclude(ends_at__lte=now)
        pathway.from_agencies.set([m.agency for m in members.select_related("agency")])
        name, target, unit = ROUTINE_5D
        UrgencyLevel.objects.create(pathway=pathway, name=name, target=target, unit=unit, order=1)
        made.append(pathway)
    return made
