"""The root page may take longer than NiceGUI's 3 s to build on a busy server before an error page replaces it."""

from __future__ import annotations

import nicegui.nicegui as handler_module
from nicegui.testing import User

from patches import root_timeout


async def test_the_app_serves_its_root_page_with_the_longer_timeout(user: User) -> None:
    await user.open('/login')
    await user.should_see('Sign in')
    assert handler_module.page('').response_timeout == root_timeout.RESPONSE_TIMEOUT > 3.0
