"""Russian for every English text of the UI, one module per area, merged here."""

from .admin_queues import RU as _ADMIN_QUEUES
from .board import RU as _BOARD
from .desk import RU as _DESK

RU: dict[str, str] = {**_BOARD, **_DESK, **_ADMIN_QUEUES}
