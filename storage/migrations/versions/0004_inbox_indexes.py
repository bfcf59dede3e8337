"""inbox indexes: open tickets by time, and closed counts under an assignee or channel filter

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 06:00:00

bench/inbox.py (200,000 tickets, 1,000,000 messages) found the inbox's open-only count scanning
the table and the per-status counts under an assignee or channel filter reading the heap.
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OPEN = sa.text('closed_at IS NULL')
FILTERS = ['status_id', 'assignee_id', 'channel']
PARTIAL = {'postgresql_where': OPEN, 'sqlite_where': OPEN, 'postgresql_include': FILTERS}


def upgrade() -> None:
    op.create_index('ix_requests_open_updated', 'requests',
                    ['queue_id', sa.text('updated_at DESC'), sa.text('id DESC')], **PARTIAL)
    op.create_index('ix_requests_open_created', 'requests',
                    ['queue_id', sa.text('created_at DESC'), sa.text('id DESC')], **PARTIAL)
    op.create_index('ix_requests_queue_assignee_status', 'requests', ['queue_id', 'assignee_id', 'status_id'])
    op.create_index('ix_requests_queue_channel_status', 'requests', ['queue_id', 'channel', 'status_id'])


def downgrade() -> None:
    for name in ('ix_requests_queue_channel_status', 'ix_requests_queue_assignee_status', 'ix_requests_open_created',
                 'ix_requests_open_updated'):
        op.drop_index(name, table_name='requests')
