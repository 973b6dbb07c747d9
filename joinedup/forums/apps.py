from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "joinedup.forums"
    label = "forums"
    verbose_name = "Multi-agency forums"

    def ready(self) -> None:
        from joinedup.core import daily
        from joinedup.forums.models import AgendaItem, CaseDiscussion, Research
        from joinedup.forums.tasks import top_up_meetings
        from joinedup.sharing import registry

        daily.register(top_up_meetings)

        registry.register(
            "agenda_items",
            AgendaItem,
            related=("meeting__forum",),
            order_by=("-meeting__starts_at",),
            api_fields=("meeting_id", "kind", "risk_level", "repeat", "minutes_taken"),
        )
        registry.register(
            "forum_research",
            Research,
            related=("recorded_by", "submitted_by", "meeting__forum"),
            order_by=("-created_at",),
            api_fields=("meeting_id", "knows", "involvement", "risks", "submitted_at"),
        )
        registry.register(
            "case_discussions",
            CaseDiscussion,
            related=("meeting__forum",),
            order_by=("-created_at",),
            api_fields=("meeting_id", "summary", "risks", "decisions", "next_review_on"),
        )
