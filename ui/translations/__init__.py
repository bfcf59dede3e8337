"""Russian for every English text of the UI, one module per area, merged here."""

from .admin_queues import RU as _ADMIN_QUEUES
from .admin_records import RU as _ADMIN_RECORDS
from .alerts import RU as _ALERTS
from .automation import RU as _AUTOMATION
from .board import RU as _BOARD
from .composer import RU as _COMPOSER
from .desk import RU as _DESK
from .navigation import RU as _NAVIGATION
from .notifications import RU as _NOTIFICATIONS
from .orders import RU as _ORDERS
from .refusals import RU as _REFUSALS
from .rules import RU as _RULES
from .sign_in import RU as _SIGN_IN
from .tickets import RU as _TICKETS
from .times import RU as _TIMES
from .webhooks import RU as _WEBHOOKS
from .widget_identity import RU as _WIDGET_IDENTITY
from .widgets import RU as _WIDGETS

RU: dict[str, str] = {**_BOARD, **_DESK, **_ADMIN_QUEUES, **_SIGN_IN, **_AUTOMATION, **_ADMIN_RECORDS,
                     **_NOTIFICATIONS, **_RULES, **_ORDERS, **_TICKETS, **_REFUSALS, **_TIMES, **_WEBHOOKS,
                     **_WIDGETS, **_NAVIGATION, **_ALERTS, **_COMPOSER, **_WIDGET_IDENTITY}
