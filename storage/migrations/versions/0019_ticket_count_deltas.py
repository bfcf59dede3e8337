"""ticket count deltas: writers add a row each instead of updating the shared ticket_counts rows (PostgreSQL)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 18:40:00

Every new ticket of a queue (and every move between two statuses) updated the same row of ticket_counts, and held
its lock until the transaction committed; each round trip from there to COMMIT waited for a busy event loop to
come back, so writers of one queue went one at a time (bench/live_load.py scenario 8: a thousand widget visitors'
first messages, each a new ticket). Now the triggers insert a delta row, which no other writer waits for; reads add
the deltas to ticket_counts, and a fold moves them in every few seconds (storage/tickets.py). SQLite keeps updating
ticket_counts directly: one writer at a time.
"""

import sqlalchemy as sa
from alembic import op

from storage.models import Id

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

TRIGGERS = {  # as in 0016: trigger -> the changes it counts, from its transition tables
    'ticket_counts_on_insert': 'SELECT queue_id, status_id, coalesce(assignee_id, -1), channel, 1 FROM added',
    'ticket_counts_on_update': 'SELECT queue_id, status_id, coalesce(assignee_id, -1), channel, -1 FROM old_rows '
                               'UNION ALL '
                               'SELECT queue_id, status_id, coalesce(assignee_id, -1), channel, 1 FROM new_rows',
    'ticket_counts_on_delete': 'SELECT queue_id, status_id, coalesce(assignee_id, -1), channel, -1 FROM removed',
}
FOLD = ('WITH moved AS (DELETE FROM ticket_count_deltas RETURNING queue_id, status_id, assignee_key, channel, tickets) '
        'INSERT INTO ticket_counts AS c (queue_id, status_id, assignee_key, channel, tickets) '
        'SELECT queue_id, status_id, assignee_key, channel, sum(tickets) FROM moved '
        'GROUP BY queue_id, status_id, assignee_key, channel ORDER BY queue_id, status_id, assignee_key, channel '
        'ON CONFLICT (queue_id, status_id, assignee_key, channel) DO UPDATE SET tickets = c.tickets + excluded.tickets')


def _function(name: str, changes: str, *, into_deltas: bool) -> str:
    write = ('INSERT INTO ticket_count_deltas (queue_id, status_id, assignee_key, channel, tickets) '
             f'SELECT q, s, a, ch, sum(n) FROM ({changes}) AS d (q, s, a, ch, n) '
             'GROUP BY q, s, a, ch HAVING sum(n) <> 0'
             if into_deltas else
             'INSERT INTO ticket_counts AS c (queue_id, status_id, assignee_key, channel, tickets) '
             f'SELECT q, s, a, ch, sum(n) FROM ({changes}) AS d (q, s, a, ch, n) '
             'GROUP BY q, s, a, ch HAVING sum(n) <> 0 ORDER BY q, s, a, ch '
             'ON CONFLICT (queue_id, status_id, assignee_key, channel) DO UPDATE SET tickets = c.tickets + excluded.tickets')
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {write};
        RETURN NULL;
    END $$
    """


def upgrade() -> None:
    op.create_table('ticket_count_deltas',
                    sa.Column('id', Id, nullable=False),
                    sa.Column('queue_id', Id, nullable=False),
                    sa.Column('status_id', Id, nullable=False),
                    sa.Column('assignee_key', Id, nullable=False),
                    sa.Column('channel', sa.String(length=16), nullable=False),
                    sa.Column('tickets', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_count_deltas')))
    if op.get_bind().dialect.name == 'postgresql':
        for name, changes in TRIGGERS.items():
            op.execute(_function(name, changes, into_deltas=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for name, changes in TRIGGERS.items():
            op.execute(_function(name, changes, into_deltas=False))
        op.execute(FOLD)
    op.drop_table('ticket_count_deltas')
