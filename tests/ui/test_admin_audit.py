"""Admin → Audit log in the simulated browser: filters narrow the list, bad dates say so, the export downloads it."""

from __future__ import annotations

import csv
import io

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.factories import make_request, make_user
from tests.ui.steps import signed_in
from ui.translations import RU


async def test_filtering_by_action_narrows_the_log_and_the_export_has_those_rows(user: User,
                                                                                  running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    customer = await make_user(running_desk)
    await make_request(running_desk, customer, title='Broken, "loud" printer')
    await running_desk.users.set_role(actor_id=admin.id, user_id=customer.id, role='agent')
    await user.open('/admin/audit')
    await user.should_see('Broken, "loud" printer')
    await user.should_see(marker='audit-change', content='Customer → Agent')

    user.find(marker='audit-action').click()
    user.find('Role changed').click()
    await user.should_not_see('Broken, "loud" printer')
    await user.should_see(marker='audit-change', content='Customer → Agent')

    user.find(marker='audit-export').click()
    response = await user.download.next(timeout=3)
    assert response.status_code == 200 and response.headers['content-type'].startswith('text/csv')
    assert 'attachment' in response.headers['content-disposition']
    header, *rows = csv.reader(io.StringIO(response.content.decode('utf-8-sig'), newline=''))
    assert header[3] == 'action'
    assert [(row[2], row[3], row[7], row[8]) for row in rows] == \
        [(admin.username, 'user.role_changed', 'customer', 'agent')]


async def test_a_start_date_after_the_end_date_is_shown_beside_the_field(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    await user.open('/admin/audit')
    await user.should_see(marker='audit-list')
    user.find(marker='audit-from').type('2024-05-02')
    user.find(marker='audit-to').type('2024-05-01')
    await user.should_see('The start date is after the end date.')
    user.find(marker='audit-export').click()
    with pytest.raises(TimeoutError):  # nothing downloads while the filters are wrong
        await user.download.next(timeout=0.5)
    await user.should_see('The start date is after the end date.')


async def test_the_export_is_refused_to_anyone_but_an_admin(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='agent')
    response = await user.http_client.get('/admin/audit.csv')
    assert response.status_code == 403 and response.json()['detail'] == 'Only admins see the audit log.'
    await user.open('/admin/audit')
    await user.should_see('You do not have access to this page.')


async def test_the_request_filter_keeps_one_requests_actions(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    customer = await make_user(running_desk)
    first = await make_request(running_desk, customer, title='First errand')
    await make_request(running_desk, customer, title='Second errand')
    await user.open('/admin/audit')
    await user.should_see('Second errand')
    user.find(marker='audit-request').type(str(first))
    await user.should_not_see('Second errand')
    await user.should_see(kind=ui.link, content=f'#{first} First errand')


def test_every_action_and_column_has_russian() -> None:
    from ui.components.audit_row import ACTIONS, HEADINGS
    assert [text for text in [*ACTIONS.values(), *HEADINGS] if text not in RU] == []
