"""ticket list indexes: open tickets of every queue by update, open tickets by assignee, usernames by substring

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-07 08:20:00

bench/api_load.py --mix tickets (200,000 tickets in four queues) found GET /api/v1/tickets?kind=open&assignee=me
and ?kind=open&channel=telegram reading every open ticket of every queue (ix_requests_open_updated leads with the
queue) to sort them, and a search scanning the users table once per status count for the customer-name half.
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0012'
branch_labels = None
depends_on = None

OPEN = sa.text('closed_at IS NULL')
INDEXES = {
    'ix_requests_open_any_updated': ([sa.text('updated_at DESC'), sa.text('id DESC')],
                                     ['queue_id', 'status_id', 'assignee_id', 'channel']),
    'ix_requests_open_assignee_updated': (['assignee_id', sa.text('updated_at DESC'), sa.text('id DESC')],
                                          ['queue_id', 'status_id']),
}


def upgrade() -> None:
    for name, (columns, included) in INDEXES.items():
        op.create_index(name, 'requests', columns, postgresql_where=OPEN, sqlite_where=OPEN,
                        postgresql_include=included)
    if op.get_bind().dialect.name == 'postgresql':  # as the titles' (0001): SQLite scans, fine for the demo
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute('CREATE INDEX ix_users_username_trgm ON users USING gin (username_key gin_trgm_ops)')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_users_username_trgm', table_name='users')
    for name in reversed(INDEXES):
        op.drop_index(name, table_name='requests')
