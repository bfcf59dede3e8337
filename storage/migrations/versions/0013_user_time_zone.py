"""a user's time zone, chosen on the profile (none: the browser's)

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-07 08:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('time_zone', sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('time_zone')
