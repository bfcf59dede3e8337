"""widgets: chat widgets other sites embed, and their anonymous visitors

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-07 08:30:00
"""

import sqlalchemy as sa
from alembic import op

from storage.models import Id, UTCDateTime

revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'widgets',
        sa.Column('id', Id, nullable=False),
        sa.Column('public_key', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('greeting', sa.String(length=500), nullable=False),
        sa.Column('accent', sa.String(length=7), nullable=False),
        sa.Column('queue_id', Id, nullable=False),
        sa.Column('origins', sa.JSON(), nullable=False),
        sa.Column('name_field', sa.String(length=8), nullable=False),
        sa.Column('email_field', sa.String(length=8), nullable=False),
        sa.Column('offline_message', sa.String(length=500), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['queue_id'], ['queues.id'], name=op.f('fk_widgets_queue_id_queues')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_widgets')),
        sa.UniqueConstraint('public_key', name=op.f('uq_widgets_public_key')),
    )
    op.create_table(
        'widget_visitors',
        sa.Column('user_id', Id, nullable=False),
        sa.Column('widget_id', Id, nullable=False),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('page_url', sa.String(length=2000), nullable=False),
        sa.Column('referrer', sa.String(length=2000), nullable=False),
        sa.Column('language', sa.String(length=35), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_widget_visitors_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['widget_id'], ['widgets.id'], name=op.f('fk_widget_visitors_widget_id_widgets'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_widget_visitors')),
    )
    op.create_index(op.f('ix_widget_visitors_widget_id'), 'widget_visitors', ['widget_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_widget_visitors_widget_id'), table_name='widget_visitors')
    op.drop_table('widget_visitors')
    op.drop_table('widgets')
