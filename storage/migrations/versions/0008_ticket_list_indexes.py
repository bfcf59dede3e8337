"""ticket list indexes: tickets of every queue by time, a customer's by update, and those assigned to someone

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 07:00:00

/api/v1/tickets lists across queues: without a queue to lead the index, the (queue_id, time, id) indexes
cannot serve "newest first" over every queue, a customer's own tickets by update, or "assigned to me".
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_requests_updated': [sa.text('updated_at DESC'), sa.text('id DESC')],
    'ix_requests_created': [sa.text('created_at DESC'), sa.text('id DESC')],
    'ix_requests_author_updated': ['author_id', sa.text('updated_at DESC'), sa.text('id DESC')],
    'ix_requests_assignee_updated': ['assignee_id', sa.text('updated_at DESC'), sa.text('id DESC')],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, 'requests', columns)


def downgrade() -> None:
    for name in reversed(INDEXES):
        op.drop_index(name, table_name='requests')
