"""The words of the access policy (DESIGN §3), shared by every app that records or reads data."""

from enum import StrEnum


class Category(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    MENTAL_HEALTH = "mental_health"
    SUBSTANCE_USE = "substance_use"
    PHYSICAL_HEALTH = "physical_health"
    CRIMINAL_JUSTICE = "criminal_justice"
    HOUSING = "housing"
    SOCIAL_CARE = "social_care"
    SAFEGUARDING = "safeguarding"
    RISK = "risk"
    COORDINATION = "coordination"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.IDENTITY: "Identity",
    Category.CONTACT: "Contact details",
    Category.MENTAL_HEALTH: "Mental health",
    Category.SUBSTANCE_USE: "Substance use",
    Category.PHYSICAL_HEALTH: "Physical health",
    Category.CRIMINAL_JUSTICE: "Criminal justice",
    Category.HOUSING: "Housing",
    Category.SOCIAL_CARE: "Social care",
    Category.SAFEGUARDING: "Safeguarding",
    Category.RISK: "Risk",
    Category.COORDINATION: "Care coordination",
}


class Purpose(StrEnum):
    """Why a read happens; set by where the user is, never ticked in a box."""

    DIRECT_CARE = "direct_care"
    FORUM = "forum"
    EMERGENCY = "emergency"
    REVIEW = "review"
    GOVERNANCE = "governance"
    ANALYTICS = "analytics"  # aggregates only: never returns person-level records
