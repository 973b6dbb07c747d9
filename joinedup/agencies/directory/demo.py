"""The demo partnership's service directory: what each Northshire agency offers, when, and how to refer.

Everything here is made up. Phone numbers come from Ofcom's ranges kept for drama (0808 157 0xxx,
01632 960xxx), web and email addresses use the reserved .example domain, and postcodes use the
demo's fictional "NS" area. Refuge addresses are never published: Women's Aid is reached by phone.
The entries go in through the HSDS importer, so the demo directory is valid HSDS by construction.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from joinedup.agencies.directory.hsds import import_data
from joinedup.agencies.directory.models import Organization, Service
from joinedup.agencies.directory.services import organization_link_agency, service_link_referrals
from joinedup.agencies.models import Agency
from joinedup.core import clock
from joinedup.core.actor import SYSTEM

NAMESPACE = uuid.UUID("5a0c3f0e-6d1b-4c57-9d2e-1f4e8b7a9c21")
DOMAIN = "northshire.example"
TAXONOMY = "Northshire needs"


def _id(*parts: str) -> str:
    """A stable id, so seeding again updates the same rows."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


# Our own small vocabulary of needs, in plain words: (slug, name, description).
TERMS = (
    ("crisis", "Mental health crisis", "Someone may not be safe right now, or is at risk of harm to themselves."),
    ("distress", "Emotional distress", "Overwhelmed, very low or unable to cope, without an immediate risk to life."),
    ("mental-health", "Ongoing mental health care", "Assessment, treatment and care coordination over time."),
    ("substance", "Drug and alcohol use", "Treatment, harm reduction and recovery from drug or alcohol use."),
    ("housing", "Housing and homelessness", "At risk of losing a home, homeless tonight, or sleeping rough."),
    ("domestic-abuse", "Domestic abuse", "Abuse by a partner, former partner or family member, including coercion."),
    ("peer", "Peer support", "Support from people with lived experience of similar difficulties."),
    ("social-care", "Social care", "Care and support to live at home, and safeguarding adults."),
    ("physical", "Urgent physical health", "Illness or injury that needs a doctor or nurse soon."),
    ("carers", "Carers", "Support for family and friends who care for someone."),
    ("wellbeing", "Loneliness and wellbeing", "Community groups, activities and connection with others."),
    ("bereavement", "Bereavement by suicide", "Support after someone has died by suicide."),
)

WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
NORTHSHIRE = {"name": "Northshire", "extent": "NS", "description": "All of Northshire: postcode districts NS1 to NS19"}
NORTH = {"name": "North Northshire", "extent": " ".join(f"NS{n}" for n in range(1, 10)), "description": "NS1 to NS9"}
SOUTH = {"name": "South Northshire", "extent": " ".join(f"NS{n}" for n in range(10, 20)), "description": "NS10 to NS19"}


@dataclass(frozen=True)
class Hours:
    byday: str
    opens: str
    closes: str
    words: str


@dataclass(frozen=True)
class Place:
    name: str
    street: str
    town: str
    postcode: str
    access: str = ""


@dataclass(frozen=True)
class Entry:
    agency: str  # the demo agency's slug
    name: str
    description: str
    terms: tuple[str, ...]
    hours: tuple[Hours, ...]
    phone: tuple[str, str]  # number, what it is for
    application_process: str
    eligibility: str = ""
    minimum_age: int | None = 18
    team: str = ""  # the agency's team that receives joinedup referrals
    areas: tuple[dict[str, str], ...] = (NORTHSHIRE,)
    place: Place | None = None
    attending: str = "By phone"


HOSPITAL = Place(
    "Northshire General Hospital",
    "Infirmary Road",
    "Northby",
    "NS2 3HT",
    "Step-free entrance; hearing loop at reception.",
)
CIVIC = Place(
    "Northby Civic Centre", "1 Market Square", "Northby", "NS1 1AA", "Step-free access and a lift to all floors."
)

ENTRIES = (
    Entry(
        "crisis",
        "Crisis Single Point of Access",
        "The 24-hour mental health crisis line for Northshire. Trained staff answer, talk things through, "
        "and arrange the right help: advice, a call back, a same-day assessment or the Home Treatment Team.",
        ("crisis", "distress"),
        (Hours(EVERY_DAY, "00:00:00", "00:00:00", "Open 24 hours a day, every day of the year."),),
        ("0808 157 0100", "Freephone crisis line, 24 hours"),
        "Anyone can phone: the person, their family or friends, or a professional. Professionals can refer "
        "through joinedup to the Crisis Single Point of Access team; urgent referrals get a call back within an hour.",
        "Adults in mental health crisis who live in Northshire or are in Northshire now.",
        team="Crisis Single Point of Access",
        attending="By phone, then in person if an assessment is needed",
    ),
    Entry(
        "crisis",
        "Community Triage line",
        "Mental health nurses advise police officers and ambulance crews who are with someone in distress, "
        "so that fewer people are detained or taken to the emergency department when another route is better.",
        ("crisis", "distress"),
        (Hours(EVERY_DAY, "08:00:00", "02:00:00", "Every day, 8am to 2am."),),
        ("0808 157 0101", "Professionals' line for police and ambulance"),
        "For police officers and ambulance crews only, while they are with the person. Phone the line; the nurse "
        "can refer on to the Crisis Single Point of Access through joinedup.",
        "People aged 16 and over in contact with police or ambulance services in Northshire.",
        minimum_age=16,
        team="Crisis Single Point of Access",
    ),
    Entry(
        "dbi",
        "Distress Brief Intervention",
        "Compassionate support for people in emotional distress. A DBI practitioner contacts the person within "
        "24 hours of referral and works with them for up to 14 days on what is causing the distress.",
        ("distress",),
        (Hours(EVERY_DAY, "09:00:00", "21:00:00", "Practitioners work every day, 9am to 9pm."),),
        ("01632 960210", "DBI practitioners' office"),
        "Referral only, from a trained frontline worker (police, ambulance, emergency department, GP or crisis "
        "team), with the person's agreement. Refer through joinedup to the DBI Practitioners team.",
        "People aged 16 and over in emotional distress who do not need emergency medical care.",
        minimum_age=16,
        team="DBI Practitioners",
    ),
    Entry(
        "haven",
        "Safe Haven evening crisis centre",
        "A calm, welcoming place to go in the evening when things are getting too much. Walk in, or be "
        "referred; staff and peer volunteers listen, help make a plan for the night and link with the crisis team.",
        ("crisis", "distress", "peer"),
        (Hours(EVERY_DAY, "18:00:00", "23:00:00", "Every evening, 6pm to 11pm, including bank holidays."),),
        ("01632 960220", "Safe Haven, evenings"),
        "Walk in during opening hours, phone ahead, or be referred through joinedup to the Evening Haven team.",
        "Adults aged 18 and over in Northshire who are struggling to cope.",
        team="Evening Haven",
        place=Place("Northshire Safe Haven", "12 Harbour Street", "Portsea Bay", "NS7 2QA", "Ground floor, step-free."),
        attending="In person (walk in) or by phone",
    ),
    Entry(
        "recovery",
        "Drug and alcohol treatment",
        "Assessment, keyworking, prescribing, detoxification and recovery groups for people who want to change "
        "their drug or alcohol use, with naloxone for anyone at risk of opioid overdose.",
        ("substance",),
        (
            Hours("MO,TU,WE,FR", "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm; Thursdays until 7:30pm."),
            Hours("TH", "09:00:00", "19:30:00", "Thursdays, 9am to 7:30pm."),
        ),
        ("01632 960230", "Recovery Hub reception"),
        "Refer yourself by phone or by dropping in. Professionals refer through joinedup to the Drug and Alcohol Team.",
        "Adults aged 18 and over who live in Northshire.",
        team="Drug and Alcohol Team",
        place=Place(
            "Northshire Recovery Hub", "40 Mill Lane", "Millbrook", "NS12 5DF", "Step-free; accessible toilet."
        ),
        attending="In person or by phone",
    ),
    Entry(
        "recovery",
        "Harm reduction and needle exchange",
        "Needle and syringe programme, naloxone, blood-borne virus testing and advice, with outreach workers "
        "who can meet people where they are.",
        ("substance",),
        (Hours("MO,TU,WE,TH,FR,SA", "10:00:00", "16:00:00", "Monday to Saturday, 10am to 4pm."),),
        ("01632 960231", "Outreach team"),
        "No referral needed: drop in. Professionals can ask the Outreach team to make contact through joinedup.",
        "Anyone aged 18 and over who uses drugs.",
        team="Outreach",
        place=Place(
            "Northshire Recovery Hub", "40 Mill Lane", "Millbrook", "NS12 5DF", "Step-free; accessible toilet."
        ),
        attending="In person",
    ),
    Entry(
        "housing",
        "Housing options",
        "Advice and help for anyone at risk of losing their home or already homeless: prevention, emergency and "
        "temporary accommodation, and help to find a settled home.",
        ("housing",),
        (Hours(WEEKDAYS, "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm."),),
        ("01632 960240", "Housing options, office hours"),
        "Phone or visit. Professionals with a duty to refer (the Homelessness Reduction Act 2017) refer through "
        "joinedup to the Homelessness Prevention team.",
        "Anyone aged 16 and over in Northshire who is homeless or may become homeless within 56 days.",
        minimum_age=16,
        team="Homelessness Prevention",
        place=CIVIC,
        attending="In person or by phone",
    ),
    Entry(
        "housing",
        "Out of hours homelessness line",
        "Emergency help for people who are homeless tonight, in the evenings, overnight and at weekends.",
        ("housing",),
        (
            Hours(WEEKDAYS, "17:00:00", "09:00:00", "Monday to Friday, 5pm to 9am the next morning."),
            Hours("SA,SU", "09:00:00", "09:00:00", "Weekends: all day and all night."),
        ),
        ("0808 157 0140", "Freephone, evenings, nights and weekends"),
        "Phone the line. There is no referral: the person or a professional with them can call.",
        "Anyone aged 16 and over who is homeless tonight in Northshire.",
        minimum_age=16,
    ),
    Entry(
        "peer",
        "Peer navigation",
        "Peer navigators with lived experience of multiple disadvantage walk alongside people to appointments "
        "and through services, and stay with them when things go wrong.",
        ("peer", "substance", "housing"),
        (Hours(WEEKDAYS, "10:00:00", "16:00:00", "Monday to Friday, 10am to 4pm."),),
        ("01632 960250", "Peer Navigators"),
        "Refer yourself, or be referred through joinedup to the Peer Navigators team with your agreement.",
        "Adults facing two or more of: mental ill health, drug or alcohol use, homelessness, contact with the "
        "justice system.",
        team="Peer Navigators",
        attending="In person, wherever suits the person",
    ),
    Entry(
        "refuge",
        "Women's Aid outreach",
        "Independent domestic violence advisers (IDVAs) and outreach workers help women to be safe: safety "
        "planning, support through the courts and the multi-agency risk conference, and refuge when needed.",
        ("domestic-abuse",),
        (Hours(WEEKDAYS, "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm."),),
        ("01632 960260", "Outreach and IDVA service"),
        "Women can phone. Professionals refer through joinedup to the Independent Domestic Violence Advisers team "
        "after a DASH risk assessment; high-risk cases also go to the risk conference.",
        "Women aged 16 and over experiencing domestic abuse in Northshire, and their children.",
        minimum_age=16,
        team="Independent Domestic Violence Advisers",
    ),
    Entry(
        "cmht",
        "Community mental health team (north)",
        "Assessment, care coordination, psychology and medication review for adults with severe or complex "
        "mental health needs in the north of the county.",
        ("mental-health",),
        (Hours(WEEKDAYS, "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm."),),
        ("01632 960270", "North Locality Team duty worker"),
        "Referral from a GP or another professional through joinedup to the North Locality Team.",
        "Adults aged 18 and over registered with a GP in NS1 to NS9.",
        team="North Locality Team",
        areas=(NORTH,),
        place=Place("Northby Community Mental Health Centre", "8 Chapel Row", "Northby", "NS3 4LP"),
        attending="In person, at home or by video",
    ),
    Entry(
        "cmht",
        "Community mental health team (south)",
        "Assessment, care coordination, psychology and medication review for adults with severe or complex "
        "mental health needs in the south of the county.",
        ("mental-health",),
        (Hours(WEEKDAYS, "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm."),),
        ("01632 960271", "South Locality Team duty worker"),
        "Referral from a GP or another professional through joinedup to the South Locality Team.",
        "Adults aged 18 and over registered with a GP in NS10 to NS19.",
        team="South Locality Team",
        areas=(SOUTH,),
        place=Place("Southwick Resource Centre", "2 Quay Road", "Southwick", "NS14 2RE"),
        attending="In person, at home or by video",
    ),
    Entry(
        "cmht",
        "Dual diagnosis service",
        "Specialist advice and joint work for people with both mental health needs and drug or alcohol use, "
        "working alongside the recovery service so that no one is told to sort one out first.",
        ("mental-health", "substance"),
        (Hours(WEEKDAYS, "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm."),),
        ("01632 960272", "Dual Diagnosis Team"),
        "Professional referral through joinedup to the Dual Diagnosis Team, or discussion at the Co-occurring "
        "Conditions Forum.",
        "Adults aged 18 and over with co-occurring mental health and substance use needs.",
        team="Dual Diagnosis Team",
    ),
    Entry(
        "ed",
        "Liaison psychiatry",
        "Mental health assessment for people who come to the emergency department or are on a hospital ward.",
        ("crisis", "physical"),
        (Hours(EVERY_DAY, "00:00:00", "00:00:00", "24 hours a day, in the emergency department."),),
        ("01632 960280", "Liaison Psychiatry (hospital staff)"),
        "Emergency department and ward staff refer through joinedup to the Liaison Psychiatry team.",
        "People aged 16 and over in Northshire General Hospital.",
        minimum_age=16,
        team="Liaison Psychiatry",
        place=HOSPITAL,
        attending="In person, in the hospital",
    ),
    Entry(
        "gpooh",
        "GP out of hours",
        "Urgent GP care when the surgery is closed: advice by phone, or an appointment at the urgent care centre.",
        ("physical",),
        (
            Hours(WEEKDAYS, "18:30:00", "08:00:00", "Weekdays, 6:30pm to 8am."),
            Hours("SA,SU", "08:00:00", "08:00:00", "Weekends: all day and all night."),
        ),
        ("111", "NHS 111"),
        "Phone NHS 111, which books the appointment. Professionals can refer through joinedup to the Urgent Care "
        "Centre.",
        "Anyone registered with a GP in Northshire, of any age.",
        minimum_age=None,
        team="Urgent Care Centre",
        place=HOSPITAL,
    ),
    Entry(
        "ambulance",
        "Mental health response vehicle",
        "A paramedic and a mental health nurse respond together to 999 calls where mental health is the main need.",
        ("crisis",),
        (Hours(EVERY_DAY, "12:00:00", "00:00:00", "Every day, midday to midnight."),),
        ("999", "Emergency: ask for an ambulance"),
        "Dispatched through 999 only. Crews can refer on through joinedup.",
        "Anyone in Northshire having a mental health emergency.",
        minimum_age=None,
        team="Mental Health Response Vehicle",
        attending="Comes to the person",
    ),
    Entry(
        "asc",
        "Adult social care assessment",
        "Care Act assessments, mental health social work and safeguarding adults enquiries.",
        ("social-care",),
        (Hours(WEEKDAYS, "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm."),),
        ("01632 960290", "Adult social care front door"),
        "Phone, or refer through joinedup to the Mental Health Social Work team; safeguarding concerns to the "
        "Safeguarding Adults team.",
        "Adults aged 18 and over in Northshire who may need care and support.",
        team="Mental Health Social Work",
        place=CIVIC,
    ),
    Entry(
        "wellbeing",
        "Community connectors",
        "Social prescribing: a connector meets the person, finds out what matters to them and links them with "
        "groups, activities and practical help nearby.",
        ("wellbeing", "distress"),
        (Hours(WEEKDAYS, "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm."),),
        ("01632 960300", "Community Connectors"),
        "Refer yourself, ask your GP, or refer through joinedup to the Community Connectors team.",
        "Adults aged 18 and over in Northshire.",
        team="Community Connectors",
    ),
    Entry(
        "wellbeing",
        "Carers' support groups",
        "Drop-in groups for family and friends caring for someone with mental ill health or drug or alcohol use.",
        ("carers",),
        (Hours("TU,TH", "10:00:00", "14:00:00", "Tuesdays and Thursdays, 10am to 2pm."),),
        ("01632 960301", "Carers' support"),
        "Drop in, or phone first. No referral is needed.",
        "Carers aged 16 and over.",
        minimum_age=16,
        place=Place("Eastmoor Community Hall", "5 Green Lane", "Eastmoor", "NS9 6BW", "Step-free; hearing loop."),
        attending="In person",
    ),
    Entry(
        "prevention",
        "Suicide bereavement support",
        "A named support worker for anyone bereaved or affected by suicide, from the first days onwards.",
        ("bereavement",),
        (Hours(WEEKDAYS, "09:00:00", "17:00:00", "Monday to Friday, 9am to 5pm."),),
        ("01632 960310", "Bereavement support worker"),
        "Refer yourself, or any professional can refer with the person's agreement by phone.",
        "Anyone affected by a suicide in Northshire.",
        minimum_age=None,
    ),
)


def _phone(owner: str, number: str, description: str) -> dict[str, Any]:
    return {"id": _id("phone", owner), "number": number, "type": "voice", "description": description}


def _location(place: Place) -> dict[str, Any]:
    key = place.name
    location: dict[str, Any] = {
        "id": _id("location", key),
        "location_type": "physical",
        "name": place.name,
        "addresses": [
            {
                "id": _id("address", key),
                "address_1": place.street,
                "city": place.town,
                "state_province": "Northshire",
                "postal_code": place.postcode,
                "country": "GB",
                "address_type": "physical",
            }
        ],
    }
    if place.access:
        location["accessibility"] = [{"id": _id("accessibility", key), "description": place.access}]
    return location


def _service(entry: Entry, now: str, today: str) -> dict[str, Any]:
    key = f"{entry.agency}/{entry.name}"
    service: dict[str, Any] = {
        "id": _id("service", key),
        "name": entry.name,
        "description": entry.description,
        "url": f"https://{entry.agency}.{DOMAIN}/",
        "email": f"{entry.agency}.enquiries@{DOMAIN}",
        "status": "active",
        "application_process": entry.application_process,
        "fees_description": "Free",
        "eligibility_description": entry.eligibility,
        "assured_date": today,
        "last_modified": now,
        "schedules": [
            {
                "id": _id("schedule", key, str(i)),
                "freq": "WEEKLY",
                "byday": hours.byday,
                "opens_at": hours.opens,
                "closes_at": hours.closes,
                "description": hours.words,
                "attending_type": entry.attending,
            }
            for i, hours in enumerate(entry.hours)
        ],
        "service_areas": [
            {**area, "id": _id("area", key, area["name"]), "extent_type": "text", "service_area": area["name"]}
            for area in entry.areas
        ],
        "service_at_locations": [{"id": _id("service_at_location", key), "location": _location(entry.place)}]
        if entry.place
        else [],
        "languages": [{"id": _id("language", key), "name": "English", "code": "en"}],
        "phones": [_phone(key, *entry.phone)],
        "attributes": [
            {"id": _id("attribute", key, slug), "link_type": "need", "taxonomy_term": _term(slug)}
            for slug in entry.terms
        ],
    }
    if entry.minimum_age is not None:
        service["minimum_age"] = entry.minimum_age
    return service


def _term(slug: str) -> dict[str, Any]:
    _, name, description = next(t for t in TERMS if t[0] == slug)
    return {
        "id": _id("term", slug),
        "code": slug,
        "name": name,
        "description": description,
        "taxonomy": TAXONOMY,
        "taxonomy_id": _id("taxonomy"),
    }


def demo_directory_data(agencies: Mapping[str, Agency]) -> list[dict[str, Any]]:
    """The HSDS records: the taxonomy, then one organization per agency with its services."""
    now = clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    today = clock.today().isoformat()
    taxonomy = {
        "id": _id("taxonomy"),
        "name": TAXONOMY,
        "description": "The needs the Northshire partnership's services meet, in plain words.",
        "version": "1",
        "taxonomy_terms": [_term(slug) for slug, _, _ in TERMS],
    }
    organizations = []
    for slug, agency in agencies.items():
        org_id = _id("organization", slug)
        organizations.append(
            {
                "id": org_id,
                "name": agency.name,
                "alternate_name": agency.short_name,
                "description": agency.description or agency.name,
                "email": f"{slug}.enquiries@{DOMAIN}",
                "website": f"https://{slug}.{DOMAIN}/",
                "services": [_service(e, now, today) for e in ENTRIES if e.agency == slug],
            }
        )
    return [taxonomy, *organizations]


def seed_demo_directory(agencies_by_slug: Mapping[str, Agency]) -> dict[str, int]:
    """Directory entries for the demo agencies (joinedup.demo.partnership.AGENCIES, by slug), linked to them.

    Safe to run again: the ids are stable, so a second run updates the same rows. Returns row counts.
    """
    with transaction.atomic():
        import_data(demo_directory_data(agencies_by_slug), name="demo directory")
        for slug, agency in agencies_by_slug.items():
            organization_link_agency(SYSTEM, organization_id=_id("organization", slug), agency=agency)
        for entry in ENTRIES:
            provider = agencies_by_slug.get(entry.agency)
            if provider is None:
                continue
            if not entry.team:
                continue  # reached by phone or walk-in only: no joinedup referral
            team = provider.teams.filter(name=entry.team).first()
            service_link_referrals(
                SYSTEM, service_id=_id("service", f"{entry.agency}/{entry.name}"), agency=provider, team=team
            )
    return {
        "organizations": Organization.objects.filter(agency__in=list(agencies_by_slug.values())).count(),
        "services": Service.objects.filter(organization__agency__in=list(agencies_by_slug.values())).count(),
    }
