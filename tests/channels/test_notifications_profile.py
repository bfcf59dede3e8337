"""The profile's email notification settings, as a person uses them."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.ui.steps import eventually, signed_in


def field(user: User, marker: str) -> ui.input | ui.checkbox:
    [element] = user.find(marker=marker).elements
    assert isinstance(element, ui.input | ui.checkbox)
    return element


async def test_a_person_sets_an_address_ticks_an_event_and_finds_it_after_a_reload(user: User,
                                                                                   running_desk: Desk) -> None:
    account = await signed_in(user, running_desk)
    await user.open('/profile')
    await user.should_see(kind=ui.label, content='Email notifications')
    await user.should_not_see(kind=ui.checkbox, content='A request was assigned to me')  # customers never are
    user.find(marker='notify-email').type('anna@example.com')
    user.find(kind=ui.checkbox, content='Status of my requests changed').click()
    user.find(kind=ui.button, content='Save').click()
    await user.should_see('Notification settings saved.')
    choices = await running_desk.preferences.notifications(actor_id=account.id)
    assert choices.email == 'anna@example.com' and choices.events == ('status.changed',)

    await user.open('/profile')
    await user.should_see(marker='notify-email')
    assert field(user, 'notify-email').value == 'anna@example.com'
    assert field(user, 'notify-status.changed').value is True


async def test_a_bad_address_is_explained_and_what_was_typed_stays(user: User, running_desk: Desk) -> None:
    account = await signed_in(user, running_desk, role='agent')
    await user.open('/profile')
    await user.should_see(marker='notify-email')
    user.find(marker='notify-email').type('anna at example')
    user.find(kind=ui.checkbox, content='A request was assigned to me').click()
    user.find(kind=ui.button, content='Save').click()
    await user.should_see(marker='notify-email', content='This is not an email address')
    assert field(user, 'notify-email').value == 'anna at example'
    assert field(user, 'notify-assigned').value is True
    choices = await running_desk.preferences.notifications(actor_id=account.id)
    assert choices.email is None and choices.events == ()

    field(user, 'notify-email').set_value('anna@example.com')
    user.find(kind=ui.button, content='Save').click()

    async def saved() -> bool:
        return (await running_desk.preferences.notifications(actor_id=account.id)).events == ('assigned',)

    await eventually(saved)
    await user.should_not_see(marker='notify-email', content='This is not an email address')
