"""One sub page per module; each `register` adds its routes."""


def path_id(value: str | int) -> int | None:
    """A numeric id from the URL; sub pages hand path parameters over as text."""
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None
