"""what tells an agent of a customer's message: a sound, a browser notification, the queues they work

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07 11:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('alert_sound', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('alert_browser', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('alert_queues', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('alert_queues')
        batch.drop_column('alert_browser')
        batch.drop_column('alert_sound')
