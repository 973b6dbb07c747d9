from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "joinedup.plans"
    label = "plans"
    verbose_name = "Plans"

    def ready(self) -> None:
        from joinedup.plans.models import Plan
        from joinedup.sharing import registry

        registry.register(
            "plans",
            Plan,
            related=("lead_agency", "recorded_by"),
            order_by=("status", "review_on"),
            api_fields=("kind", "title", "status", "review_on", "lead_agency_id"),
        )
