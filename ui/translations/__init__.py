"""Russian for every English text of the UI, one module per area, merged here."""

from .admin_queues import RU as _ADMIN_QUEUES
from .automation import RU as _AUTOMATION
from .board import RU as _BOARD
from .desk import RU as _DESK
from .sign_in import RU as _SIGN_IN

RU: dict[str, str] = {**_BOARD, **_DESK, **_ADMIN_QUEUES, **_SIGN_IN, **_AUTOMATION}
