from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "joinedup.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from joinedup.referrals.models import Referral, Signposting
        from joinedup.sharing import registry

        registry.register(
            "referrals",
            Referral,
            related=("pathway", "urgency", "from_agency", "to_agency", "to_team", "referred_by", "receiving_worker"),
            order_by=("-created_at",),
            api_fields=("state", "reason", "sent_at", "due_at", "decided_at", "closed_at"),
        )
        registry.register(
            "signpostings",
            Signposting,
            related=("recorded_by",),
            order_by=("-created_at",),
            api_fields=("service_name", "reason", "person_told"),
        )
