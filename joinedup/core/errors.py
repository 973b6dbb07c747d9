"""Domain errors raised by services and selectors; views and the API turn them into responses."""

from collections.abc import Mapping


class DomainError(Exception):
    """Something the user can put right: shown as a clear message, never a 500."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Input that breaks a rule; `errors` maps field names to messages ("" for the whole form)."""

    status = 422

    def __init__(self, errors: Mapping[str, str | list[str]]) -> None:
        self.errors = {k: [v] if isinstance(v, str) else list(v) for k, v in errors.items()}
        first_field, messages = next(iter(self.errors.items()))
        super().__init__(messages[0], field=first_field or None)


class NotFound(DomainError):
    """Missing, or not visible to this user: the two are deliberately indistinguishable."""

    status = 404

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class StaleVersion(DomainError):
    """Someone else saved first; the caller keeps the user's input and shows who and when."""

    status = 412

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class PermissionDenied(DomainError):
    """An action (not a read) the user's role does not allow."""

    status = 403
