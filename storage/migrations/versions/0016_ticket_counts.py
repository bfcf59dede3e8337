"""ticket counts: requests per queue, status, assignee and channel, kept by triggers in the writing transaction

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-07 11:30:00

bench/api_load.py --mix tickets found the ticket list's first page spending most of its database time on the
counts per status, each counting up to 10,001 requests. These rows answer the counts of filters by queue,
status, assignee and channel from a few rows (storage/tickets.py). Triggers keep them, so every way a request is
written (the services, bulk moves, a deleted user's cascade, COPY) keeps them right, and across instances alike.
"""

import sqlalchemy as sa
from alembic import op

from storage.models import Id

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

KEY = ('queue_id', 'status_id', 'assignee_key', 'channel')
CHANGED = ('OLD.queue_id IS NOT NEW.queue_id OR OLD.status_id IS NOT NEW.status_id '
           'OR OLD.assignee_id IS NOT NEW.assignee_id OR OLD.channel IS NOT NEW.channel')

# Per statement, from its transition tables: a row trigger updating the same few rows once per request made a
# bulk write quadratic (100,000 inserted requests in one transaction: 125 s instead of 11 s), as each update of a
# row in one transaction walks the versions before it. One upsert per statement, its rows in key order: two
# transactions moving tickets between the same two rows the other way round take their row locks in the same
# order, and so wait for each other instead of deadlocking. UPDATE cannot name its columns with transition
# tables: an update that moves nothing (a reply's touch) adds up to no row, and writes none.
def _postgresql_function(name: str, changes: str) -> str:
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO ticket_counts AS c (queue_id, status_id, assignee_key, channel, tickets)
        SELECT q, s, a, ch, sum(n) FROM ({changes}) AS d (q, s, a, ch, n)
        GROUP BY q, s, a, ch HAVING sum(n) <> 0 ORDER BY q, s, a, ch
        ON CONFLICT (queue_id, status_id, assignee_key, channel) DO UPDATE SET tickets = c.tickets + excluded.tickets;
        RETURN NULL;
    END $$
    """


def _rows(table: str, delta: int) -> str:
    return f'SELECT queue_id, status_id, coalesce(assignee_id, -1), channel, {delta} FROM {table}'


POSTGRESQL_TRIGGERS = {  # trigger -> (event, transition tables, the changes it counts)
    'ticket_counts_on_insert': ('INSERT', 'NEW TABLE AS added', _rows('added', 1)),
    'ticket_counts_on_update': ('UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
                                f"{_rows('old_rows', -1)} UNION ALL {_rows('new_rows', 1)}"),
    'ticket_counts_on_delete': ('DELETE', 'OLD TABLE AS removed', _rows('removed', -1)),
}
POSTGRESQL = [statement for name, (event, tables, changes) in POSTGRESQL_TRIGGERS.items() for statement in (
    _postgresql_function(name, changes),
    f'CREATE TRIGGER {name} AFTER {event} ON requests REFERENCING {tables} FOR EACH STATEMENT '
    f'EXECUTE FUNCTION {name}()')]


def _sqlite_add(row: str, delta: int) -> str:
    return (f"INSERT INTO ticket_counts (queue_id, status_id, assignee_key, channel, tickets) VALUES ({row}.queue_id, "
            f"{row}.status_id, coalesce({row}.assignee_id, -1), {row}.channel, {delta}) "
            f"ON CONFLICT (queue_id, status_id, assignee_key, channel) DO UPDATE SET tickets = tickets + {delta};")


SQLITE = [  # one writer at a time: no lock order to keep
    f"CREATE TRIGGER ticket_counts_on_insert AFTER INSERT ON requests BEGIN {_sqlite_add('NEW', 1)} END",
    f"CREATE TRIGGER ticket_counts_on_delete AFTER DELETE ON requests BEGIN {_sqlite_add('OLD', -1)} END",
    'CREATE TRIGGER ticket_counts_on_update AFTER UPDATE OF queue_id, status_id, assignee_id, channel ON requests '
    f'WHEN {CHANGED} '
    f"BEGIN {_sqlite_add('OLD', -1)} {_sqlite_add('NEW', 1)} END",
]
FILL = ('INSERT INTO ticket_counts (queue_id, status_id, assignee_key, channel, tickets) '
        'SELECT queue_id, status_id, coalesce(assignee_id, -1), channel, count(*) FROM requests '
        'GROUP BY queue_id, status_id, coalesce(assignee_id, -1), channel')


def upgrade() -> None:
    op.create_table('ticket_counts',
    sa.Column('queue_id', Id, nullable=False),
    sa.Column('status_id', Id, nullable=False),
    sa.Column('assignee_key', Id, nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('tickets', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint(*KEY, name=op.f('pk_ticket_counts'))
    )
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:  # no request written between the fill and the triggers: this transaction holds the table
        op.execute('LOCK TABLE requests IN SHARE ROW EXCLUSIVE MODE')
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)
    op.execute(FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for name in POSTGRESQL_TRIGGERS:
            op.execute(f'DROP TRIGGER {name} ON requests')
            op.execute(f'DROP FUNCTION {name}()')
    else:
        for name in ('ticket_counts_on_update', 'ticket_counts_on_delete', 'ticket_counts_on_insert'):
            op.execute(f'DROP TRIGGER {name}')
    op.drop_table('ticket_counts')
