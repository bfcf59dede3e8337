"""Domain errors: pages show their message, the API maps them to a 4xx."""


class DomainError(Exception):
    """A rule said no; `message` is safe to show to the user."""

    def __init__(self, template: str, *, field: str | None = None, **params: object) -> None:
        self.template = template  # pages translate the template, then fill in the params
        self.params = params
        self.message = template.format(**params)
        self.field = field
        super().__init__(self.message)


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
    def __init__(self, template: str, *, retry_after: float, **params: object) -> None:
        super().__init__(template, **params)
        self.retry_after = retry_after
