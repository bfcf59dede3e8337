"""orders: the Orders queue with line items, and the shipped rule that moves orders on every minute

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 12:30:00
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime, utcnow

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ORDERS = 'Orders'
RULE = 'Orders move on every minute'
FIELDS = [
    {'key': 'items', 'label': 'Line items', 'kind': 'items', 'required': True, 'currency': 'EUR'},
    {'key': 'delivery_address', 'label': 'Delivery address', 'kind': 'text', 'required': False},
    {'key': 'note', 'label': 'Note', 'kind': 'text', 'required': False},
]
MINUTE = 60  # seconds in a status before the next step; the rule's own setting, edited like any rule

queues = sa.table('queues', sa.column('id', sa.Integer), sa.column('name', sa.String),
                  sa.column('visibility', sa.String), sa.column('workflow_id', sa.Integer),
                  sa.column('fields', sa.JSON), sa.column('one_open_per_author', sa.Boolean))
rules = sa.table('rules', sa.column('name', sa.String), sa.column('trigger', sa.String),
                 sa.column('conditions', sa.JSON), sa.column('actions', sa.JSON), sa.column('enabled', sa.Boolean),
                 sa.column('position', sa.Integer), sa.column('created_at', UTCDateTime),
                 sa.column('updated_at', UTCDateTime))


def upgrade() -> None:
    bind = op.get_bind()
    order = bind.execute(sa.text("SELECT id FROM workflows WHERE name = 'Order'")).scalar()
    queue_id = bind.execute(sa.insert(queues).values(name=ORDERS, visibility='private', workflow_id=order,
                                                     fields=FIELDS, one_open_per_author=False)
                            .returning(queues.c.id)).scalar()
    now = utcnow()
    bind.execute(sa.insert(rules).values(
        name=RULE, trigger='time_in_status',
        conditions=[{'field': 'queue', 'op': 'is', 'value': queue_id},
                    {'field': 'status', 'op': 'in', 'value': ['PENDING', 'PAID', 'SHIPPED']},
                    {'field': 'time_in_status', 'op': 'longer_than', 'value': MINUTE}],
        actions=[{'type': 'set_status', 'status': '__next__'}],
        enabled=True, position=0, created_at=now, updated_at=now))


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text('DELETE FROM rules WHERE name = :name'), {'name': RULE})
    # Orders filed since go with their queue (their conversations and events cascade).
    bind.execute(sa.text('DELETE FROM requests WHERE queue_id IN (SELECT id FROM queues WHERE name = :name)'),
                 {'name': ORDERS})
    bind.execute(sa.text('DELETE FROM queues WHERE name = :name'), {'name': ORDERS})
