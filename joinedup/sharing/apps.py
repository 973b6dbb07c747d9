from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "joinedup.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from joinedup.sharing import registry
        from joinedup.sharing.models import CaseNote, Consent, ForumCase

        registry.register("case_notes", CaseNote, related=("author", "recorded_by"))
        registry.register(
            "consents",
            Consent,
            related=("recorded_by", "recorded_by_user"),
            prefetch=(
                "provisions__scopes",
                "provisions__recipient_agencies",
                "provisions__recipient_forums",
                "provisions__source_agencies",
            ),
        )
        registry.register("forum_cases", ForumCase, related=("forum",))
