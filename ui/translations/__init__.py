"""Russian for every English text of the UI, one module per area, merged here."""

from .board import RU as _BOARD

RU: dict[str, str] = {**_BOARD}
