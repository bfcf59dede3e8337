"""widget identity: a visitor's account (signed in inside the widget) and the host site's verified user id

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 11:30:00
"""

import sqlalchemy as sa
from alembic import op

from storage.models import Id

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('widget_visitors') as batch:
        batch.add_column(sa.Column('account_id', Id, nullable=True))
        batch.add_column(sa.Column('external_id', sa.String(length=255), nullable=True))
        batch.create_foreign_key(op.f('fk_widget_visitors_account_id_users'), 'users', ['account_id'], ['id'],
                                 ondelete='SET NULL')
        batch.create_index(op.f('ix_widget_visitors_account_id'), ['account_id'], unique=False)
        batch.create_unique_constraint(op.f('uq_widget_visitors_widget_id'), ['widget_id', 'external_id'])


def downgrade() -> None:
    with op.batch_alter_table('widget_visitors') as batch:
        batch.drop_constraint(op.f('uq_widget_visitors_widget_id'), type_='unique')
        batch.drop_index(op.f('ix_widget_visitors_account_id'))
        batch.drop_constraint(op.f('fk_widget_visitors_account_id_users'), type_='foreignkey')
        batch.drop_column('external_id')
        batch.drop_column('account_id')
