from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "joinedup.crisis"
    label = "crisis"
    verbose_name = "Crisis single point of access"

    def ready(self) -> None:
        from joinedup.crisis.models import CrisisContact
        from joinedup.sharing import registry

        # Linked contacts are the person's records like any other; unlinked ones (no person yet)
        # match no person, so only the own-agency ground can ever open them.
        registry.register(
            "crisis_contacts",
            CrisisContact,
            related=("recorded_by", "handled_by"),
            order_by=("-received_at",),
            api_fields=("channel", "received_at", "presenting_need", "triage_outcome", "status", "closed_at"),
        )
