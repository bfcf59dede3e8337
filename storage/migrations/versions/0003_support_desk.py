"""support desk: the Support queue, one open ticket per customer, staff read state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:10:00
"""

import sqlalchemy as sa
from alembic import op

from storage.models import Id

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('queues') as batch:
        batch.add_column(sa.Column('one_open_per_author', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('requests') as batch:
        batch.add_column(sa.Column('open_key', Id, nullable=True))
        batch.add_column(sa.Column('staff_unread', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_unique_constraint('uq_requests_queue_id', ['queue_id', 'open_key'])
    with op.batch_alter_table('conversations') as batch:
        batch.add_column(sa.Column('staff_read_upto', Id, nullable=False, server_default='0'))
    op.create_index('ix_requests_queue_assignee_updated', 'requests',
                    ['queue_id', 'assignee_id', sa.text('updated_at DESC'), sa.text('id DESC')])
    bind = op.get_bind()
    ticket = bind.execute(sa.text("SELECT id FROM workflows WHERE name = 'Ticket'")).scalar()
    bind.execute(sa.text("INSERT INTO queues (name, visibility, workflow_id, fields, one_open_per_author) "
                         "VALUES ('Support', 'private', :w, '[]', :one)"), {'w': ticket, 'one': True})


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM queues WHERE name = 'Support'"))
    op.drop_index('ix_requests_queue_assignee_updated', table_name='requests')
    with op.batch_alter_table('conversations') as batch:
        batch.drop_column('staff_read_upto')
    with op.batch_alter_table('requests') as batch:
        batch.drop_constraint('uq_requests_queue_id', type_='unique')
        batch.drop_column('staff_unread')
        batch.drop_column('open_key')
    with op.batch_alter_table('queues') as batch:
        batch.drop_column('one_open_per_author')
