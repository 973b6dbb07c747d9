"""The demo partnership's agencies, drawn from the source documents (a fictional "Northshire")."""

from dataclasses import dataclass, field

from joinedup.accounts.roles import RoleCode
from joinedup.agencies.models import AgencyKind, Sector

R = RoleCode


@dataclass(frozen=True)
class AgencySpec:
    slug: str
    name: str
    short_name: str
    kind: AgencyKind
    sector: Sector
    teams: tuple[str, ...]
    roles: tuple[RoleCode, ...]
    description: str
    ods_code: str = ""
    weight: int = 1  # how often it is involved with the demo's people
    inbox: bool = True
    extra: dict[str, str] = field(default_factory=dict)


STATUTORY, VOLUNTARY = Sector.STATUTORY, Sector.VOLUNTARY
CASEWORK = (R.PRACTITIONER, R.MANAGER, R.IG_LEAD)

AGENCIES = (
    AgencySpec(
        "crisis",
        "Northshire Mental Health Unscheduled Care",
        "Crisis Hub",
        AgencyKind.CRISIS,
        STATUTORY,
        ("Crisis Single Point of Access", "Home Treatment Team"),
        (R.CRISIS_WORKER, *CASEWORK),
        "The 24/7 single point of access for people in mental health crisis, and the Community Triage line.",
        "ZZC01",
        5,
    ),
    AgencySpec(
        "cmht",
        "Northshire Community Mental Health Service",
        "Community Mental Health",
        AgencyKind.NHS_MENTAL_HEALTH,
        STATUTORY,
        ("North Locality Team", "South Locality Team", "Dual Diagnosis Team"),
        (*CASEWORK, R.FORUM_COORDINATOR, R.SYSTEM_ADMIN),
        "Secondary care mental health: care coordination, psychology and the dual diagnosis service; hosts joinedup.",
        "ZZC02",
        8,
    ),
    AgencySpec(
        "prevention",
        "Northshire Suicide Prevention Partnership",
        "Suicide Prevention",
        AgencyKind.OTHER,
        STATUTORY,
        ("Public Health",),
        (R.PRACTITIONER, R.ANALYST),
        "The local suicide prevention leads, in the council's public health team.",
        "",
        1,
    ),
    AgencySpec(
        "ed",
        "Northshire General Hospital Emergency Department",
        "Emergency Department",
        AgencyKind.EMERGENCY_DEPARTMENT,
        STATUTORY,
        ("Liaison Psychiatry",),
        CASEWORK,
        "The emergency department and its liaison psychiatry team.",
        "ZZC03",
        3,
    ),
    AgencySpec(
        "gpooh",
        "Northshire GP Out of Hours",
        "GP Out of Hours",
        AgencyKind.GP_OUT_OF_HOURS,
        STATUTORY,
        ("Urgent Care Centre",),
        (R.PRACTITIONER, R.IG_LEAD),
        "GP care in the evenings, overnight and at weekends.",
        "ZZC04",
        1,
    ),
    AgencySpec(
        "police",
        "Northshire Police",
        "Police",
        AgencyKind.POLICE,
        STATUTORY,
        ("Mental Health Liaison", "Public Protection Unit"),
        (*CASEWORK, R.FORUM_COORDINATOR),
        "Response officers, the mental health liaison team and the public protection unit.",
        "",
        4,
    ),
    AgencySpec(
        "ambulance",
        "Northshire Ambulance Service",
        "Ambulance",
        AgencyKind.AMBULANCE,
        STATUTORY,
        ("Mental Health Response Vehicle",),
        (R.PRACTITIONER, R.IG_LEAD),
        "Emergency ambulance crews and the mental health response vehicle.",
        "ZZC05",
        2,
    ),
    AgencySpec(
        "dbi",
        "Harbour Distress Brief Intervention",
        "DBI",
        AgencyKind.DBI_CRISIS_CENTRE,
        VOLUNTARY,
        ("DBI Practitioners",),
        (R.PRACTITIONER, R.MANAGER, R.VOLUNTEER),
        "Compassionate support within 24 hours of referral and up to 14 days of problem-solving support.",
        "",
        2,
    ),
    AgencySpec(
        "haven",
        "Northshire Safe Haven Crisis Centre",
        "Safe Haven",
        AgencyKind.DBI_CRISIS_CENTRE,
        VOLUNTARY,
        ("Evening Haven",),
        (R.PRACTITIONER, R.VOLUNTEER),
        "A walk-in crisis centre open every evening.",
        "",
        2,
    ),
    AgencySpec(
        "recovery",
        "Northshire Recovery Partnership",
        "Recovery Service",
        AgencyKind.SUBSTANCE_USE,
        VOLUNTARY,
        ("Drug and Alcohol Team", "Outreach"),
        (*CASEWORK, R.FORUM_COORDINATOR),
        "Drug and alcohol treatment, harm reduction and recovery support.",
        "",
        5,
    ),
    AgencySpec(
        "housing",
        "Northshire Council Housing Options",
        "Housing",
        AgencyKind.HOUSING,
        STATUTORY,
        ("Homelessness Prevention", "Rough Sleeper Outreach"),
        CASEWORK,
        "Homelessness prevention, temporary accommodation and rough sleeper outreach.",
        "",
        4,
    ),
    AgencySpec(
        "asc",
        "Northshire Adult Social Care",
        "Adult Social Care",
        AgencyKind.ADULT_SOCIAL_CARE,
        STATUTORY,
        ("Mental Health Social Work", "Safeguarding Adults"),
        CASEWORK,
        "Care Act assessments, mental health social work and safeguarding adults.",
        "",
        3,
    ),
    AgencySpec(
        "probation",
        "Northshire Probation Delivery Unit",
        "Probation",
        AgencyKind.PROBATION,
        STATUTORY,
        ("Offender Management",),
        CASEWORK,
        "Supervision of people on community orders and licence.",
        "",
        2,
    ),
    AgencySpec(
        "peer",
        "Fulfilling Futures Peer Support",
        "Peer Support",
        AgencyKind.VOLUNTARY_SECTOR,
        VOLUNTARY,
        ("Peer Navigators",),
        (R.PRACTITIONER, R.VOLUNTEER, R.IG_LEAD),
        "Peer navigators with lived experience of multiple disadvantage.",
        "",
        2,
    ),
    AgencySpec(
        "refuge",
        "Northshire Women's Aid",
        "Women's Aid",
        AgencyKind.VOLUNTARY_SECTOR,
        VOLUNTARY,
        ("Independent Domestic Violence Advisers",),
        (R.PRACTITIONER, R.IG_LEAD),
        "Refuge, outreach and independent domestic violence advisers (IDVAs).",
        "",
        1,
    ),
    AgencySpec(
        "wellbeing",
        "Northshire Wellbeing Collective",
        "Wellbeing Collective",
        AgencyKind.VOLUNTARY_SECTOR,
        VOLUNTARY,
        ("Community Connectors",),
        (R.PRACTITIONER, R.VOLUNTEER),
        "Community groups, social prescribing and carers' support.",
        "",
        2,
    ),
)

ROLES_WITH_CASELOAD = {R.PRACTITIONER, R.CRISIS_WORKER}


# ---------------------------------------------------------------------------------------------
# The sharing the demo partnership has agreed: data sharing agreements, forums, consent patterns.


@dataclass(frozen=True)
class AgreementSpec:
    slug: str
    title: str
    reference: str
    owner: str
    parties: tuple[str, ...]
    categories: tuple[str, ...]
    purposes: tuple[str, ...]
    lawful_basis: str
    special_category_condition: str
    schedule_1_condition: str = ""
    law_enforcement: bool = False
    signed_off: bool = True
    description: str = ""


AGREEMENTS = (
    AgreementSpec(
        "concordat",
        "Northshire Crisis Care Concordat information sharing agreement",
        "NS-ISA-001",
        "crisis",
        ("crisis", "cmht", "police", "ambulance", "ed", "gpooh"),
        ("identity", "contact", "mental_health", "risk", "safeguarding", "coordination"),
        ("direct_care", "forum"),
        "e_public_task",
        "h_health_social_care",
        "Paragraph 18: safeguarding of children and individuals at risk",
        law_enforcement=True,
        description="Sharing between the crisis services, police and ambulance when someone is referred in crisis.",
    ),
    AgreementSpec(
        "co_occurring",
        "Co-occurring Conditions Forum information sharing agreement",
        "NS-ISA-002",
        "cmht",
        ("cmht", "recovery", "housing", "asc", "probation", "peer", "police"),
        (
            "identity",
            "contact",
            "mental_health",
            "substance_use",
            "housing",
            "social_care",
            "criminal_justice",
            "risk",
            "coordination",
        ),
        ("forum", "direct_care"),
        "e_public_task",
        "g_substantial_public_interest",
        "Paragraph 6: statutory and government purposes",
        law_enforcement=True,
        description="What the members of the Co-occurring Conditions Forum share about the people on its list.",
    ),
    AgreementSpec(
        "housing_care",
        "Housing and adult social care protocol",
        "NS-ISA-003",
        "housing",
        ("housing", "asc", "cmht"),
        ("identity", "contact", "housing", "social_care", "coordination"),
        ("direct_care",),
        "e_public_task",
        "b_social_protection",
        description="Joint work on homelessness prevention and Care Act assessments.",
    ),
    AgreementSpec(
        "risk_conference",
        "Northshire Risk Conference information sharing agreement",
        "NS-ISA-005",
        "police",
        ("police", "refuge", "recovery", "cmht", "crisis", "housing", "asc", "probation", "ed", "ambulance"),
        ("identity", "contact", "safeguarding", "risk", "criminal_justice", "housing", "coordination"),
        ("forum",),
        "e_public_task",
        "g_substantial_public_interest",
        "Paragraph 18: safeguarding of children and individuals at risk",
        law_enforcement=True,
        description="What the members of the risk conference share about people at high risk of domestic abuse, "
        "to plan their safety together.",
    ),
    AgreementSpec(
        "wellbeing_draft",
        "Social prescribing pilot (draft)",
        "NS-ISA-004",
        "wellbeing",
        ("wellbeing", "peer", "gpooh"),
        ("identity", "contact", "coordination"),
        ("direct_care",),
        "f_legitimate_interests",
        "none",
        signed_off=False,
        description="Awaiting sign-off: not yet a ground for sharing.",
    ),
)


@dataclass(frozen=True)
class ForumSpec:
    name: str
    kind: str
    host: str
    agreement: str | None
    members: tuple[str, ...]
    former_members: tuple[str, ...] = ()
    share_of_people: float = 0.0  # how many of the demo's people are a current case


FORUMS = (
    ForumSpec(
        "Northshire Co-occurring Conditions Forum",
        "co_occurring",
        "cmht",
        "co_occurring",
        ("cmht", "recovery", "housing", "asc", "probation", "peer", "police"),
        ("wellbeing",),
        0.015,
    ),
    ForumSpec(
        "Northshire Risk Conference",
        "risk_conference",
        "police",
        "risk_conference",
        ("police", "refuge", "recovery", "cmht", "crisis", "housing", "asc", "probation", "ed", "ambulance"),
        (),
        0.0,  # its cases arrive by referral, as in the risk journey
    ),
    ForumSpec(
        "Northshire Distress Pathway Forum",
        "distress_pathway",
        "crisis",
        None,
        ("crisis", "cmht", "dbi", "haven", "ambulance", "ed"),
        (),
        0.005,
    ),
)

# Case notes an agency writes, by the category its author chose.
NOTE_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "mental_health": (
        ("Review of mood and medication", "Reports low mood most days; sleeping poorly. Medication reviewed."),
        ("Crisis plan updated", "Agreed what helps when things get hard, and who to call out of hours."),
    ),
    "substance_use": (
        ("Keyworker session", "Discussed use over the last fortnight and harm reduction; naloxone offered."),
        ("Prescribing review", "Attended the review; dose unchanged. Next review in four weeks."),
    ),
    "criminal_justice": (
        ("Contact with officers", "Officers attended after a call from a neighbour; no offences disclosed."),
        ("Supervision appointment", "Attended; discussed licence conditions and accommodation."),
    ),
    "housing": (
        ("Housing options interview", "At risk of eviction in eight weeks; prevention duty accepted."),
        ("Temporary accommodation", "Placed in temporary accommodation; support to bid for a tenancy."),
    ),
    "social_care": (("Care Act assessment", "Assessment started; eligible needs around managing a home."),),
    "safeguarding": (("Safeguarding concern", "Concern raised about financial exploitation; referral made."),),
    "risk": (("Risk assessment", "Risk to self assessed as raised this week; safety plan reviewed together."),),
    "physical_health": (("Physical health check", "Blood pressure high; advised to see the GP this week."),),
    "contact": (("New phone number", "Has a new phone; prefers texts before calls."),),
    "coordination": (
        ("Professionals meeting", "Agreed who leads on what and when we next meet."),
        ("Telephone contact", "Called to check in; appointment arranged for next week."),
    ),
}
