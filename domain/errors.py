"""Domain errors: pages show their message, the API maps them to a 4xx."""


class DomainError(Exception):
    """A rule said no; `message` is safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class NotSignedIn(PermissionDenied):
    pass


class InvalidInput(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class Conflict(DomainError):
    pass


class TooManyAttempts(DomainError):
    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
