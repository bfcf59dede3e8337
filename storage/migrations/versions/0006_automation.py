"""automation: jobs' due and finish times, rule edits, time in status, user email and notification choices,
Telegram message refs and intake cursor, audit-log indexes on events

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:30:00
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('notify_events', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('requests') as batch_op:
        batch_op.add_column(sa.Column('status_since', UTCDateTime(), nullable=True))
    op.execute('UPDATE requests SET status_since = updated_at')
    with op.batch_alter_table('requests') as batch_op:
        batch_op.alter_column('status_since', existing_type=UTCDateTime(), nullable=False)
    with op.batch_alter_table('messages') as batch_op:
        batch_op.add_column(sa.Column('external_ref', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_messages_external_ref'), ['external_ref'])
    with op.batch_alter_table('events') as batch_op:
        batch_op.create_index('ix_events_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_events_actor', ['actor_id', 'id'], unique=False)
        batch_op.create_index('ix_events_kind', ['kind', 'id'], unique=False)
    with op.batch_alter_table('rules') as batch_op:
        batch_op.add_column(sa.Column('updated_at', UTCDateTime(), nullable=True))
    op.execute('UPDATE rules SET updated_at = created_at')
    with op.batch_alter_table('rules') as batch_op:
        batch_op.alter_column('updated_at', existing_type=UTCDateTime(), nullable=False)
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.add_column(sa.Column('due_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('finished_at', UTCDateTime(), nullable=True))
        batch_op.create_index('ix_jobs_status_id', ['status', 'id'], unique=False)
    op.execute('UPDATE jobs SET due_at = next_attempt_at')
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.alter_column('due_at', existing_type=UTCDateTime(), nullable=False)
    op.create_table('channel_cursors',
                    sa.Column('name', sa.String(length=64), nullable=False),
                    sa.Column('value', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('name', name=op.f('pk_channel_cursors')))


def downgrade() -> None:
    op.drop_table('channel_cursors')
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.drop_index('ix_jobs_status_id')
        batch_op.drop_column('finished_at')
        batch_op.drop_column('due_at')
    with op.batch_alter_table('rules') as batch_op:
        batch_op.drop_column('updated_at')
    with op.batch_alter_table('events') as batch_op:
        batch_op.drop_index('ix_events_kind')
        batch_op.drop_index('ix_events_actor')
        batch_op.drop_index('ix_events_created')
    with op.batch_alter_table('messages') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_messages_external_ref'), type_='unique')
        batch_op.drop_column('external_ref')
    with op.batch_alter_table('requests') as batch_op:
        batch_op.drop_column('status_since')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('notify_events')
        batch_op.drop_column('email')
