from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "joinedup.risk"
    label = "risk"
    verbose_name = "Risk tools, assessments and flags"

    def ready(self) -> None:
        from joinedup.risk.models import Assessment, Flag
        from joinedup.sharing import registry

        registry.register(
            "risk_assessments",
            Assessment,
            related=("tool", "assessor", "recorded_by"),
            order_by=("-assessed_on", "-created_at"),
            api_fields=("tool_id", "score", "final_level", "assessed_on", "version"),
        )
        registry.register(
            "risk_flags",
            Flag,
            related=("author", "recorded_by"),
            order_by=("-ends_on", "-created_at"),
            api_fields=("kind", "starts_on", "ends_on", "reason", "ended_at"),
        )
