"""Answers to the shipped tools, for tests."""

from joinedup.risk.definitions import ItemKind, ToolDefinition


def answers_for(tool: ToolDefinition, *, yes: int = 0, rest: str = "no", **given: str | int) -> dict[str, str | int]:
    """The first `yes` yes/no questions answered yes, the others `rest`; scales at their first
    option, numbers 0; then `given` on top."""
    answers: dict[str, str | int] = {}
    asked = 0
    for item in tool.items:
        if item.kind == ItemKind.YES_NO:
            answers[item.key] = "yes" if asked < yes else rest
            asked += 1
        elif item.kind == ItemKind.SCALE:
            answers[item.key] = item.options[0].value
        else:
            answers[item.key] = 0
    return answers | given
