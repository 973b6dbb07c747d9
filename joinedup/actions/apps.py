from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "joinedup.actions"
    label = "actions"
    verbose_name = "Agreed actions"

    def ready(self) -> None:
        from joinedup.actions.models import Action
        from joinedup.actions.tasks import send_action_reminders
        from joinedup.core import daily
        from joinedup.sharing import registry

        daily.register(send_action_reminders)

        registry.register(
            "actions",
            Action,
            related=("owner_agency", "owner_user", "recorded_by"),
            order_by=("status", "due_on"),
            api_fields=("description", "owner_agency_id", "due_on", "status", "completed_at", "source_label"),
        )
