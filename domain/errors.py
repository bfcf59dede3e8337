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


class ConstraintConflict(Conflict):
    """Storage refused a write that broke one of its constraints (a unique key taken, a referenced row gone),
    usually because a concurrent request won a race. Services catch it to join the winner or to say what clashed."""

    def __init__(self, template: str = 'This was changed at the same moment; try again.', **params: object) -> None:
        super().__init__(template, **params)


class TooManyAttempts(DomainError):
    def __init__(self, template: str, *, retry_after: float, **params: object) -> None:
        super().__init__(template, **params)
        self.retry_after = retry_after
