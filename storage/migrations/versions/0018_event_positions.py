"""event positions: the live stream's order, taken at COMMIT instead of under a lock held from the insert

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-07 18:40:00

Streams read the log after a client's last position, so positions must become visible in the order they are
taken. Until now the events insert took a transaction-scoped advisory lock (storage/events.py), held until COMMIT:
every writer of every instance queued behind the round trips between the insert and COMMIT, and on a busy server
each waits for the event loop to come back to the transaction (bench/live_load.py scenario 8: writers queued for
seconds). Now a deferred trigger takes the lock and the position while the transaction commits, inside
PostgreSQL, with no round trip left before the lock is released; PostgreSQL makes a commit visible before it
releases its locks. The positions of events from before carry on from their ids, so a client's last event id
stays its place in the stream. SQLite has one writer at a time: its position is the id.
"""

import sqlalchemy as sa
from alembic import op

from storage.models import Id

revision = '0018'
down_revision = '0016'
branch_labels = None
depends_on = None

EVENT_LOG_KEY = 0x53424556  # 'SBEV', as storage/events.py had it; no other advisory lock of this database uses it

POSTGRESQL = [
    'CREATE SEQUENCE event_positions',
    "SELECT setval('event_positions', coalesce((SELECT max(id) FROM events), 0) + 1, false)",
    f"""CREATE FUNCTION event_position() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock({EVENT_LOG_KEY});
        UPDATE events SET position = nextval('event_positions') WHERE id = NEW.id;
        RETURN NULL;
    END $$""",
    'CREATE CONSTRAINT TRIGGER event_position AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED '
    'FOR EACH ROW EXECUTE FUNCTION event_position()',
]
SQLITE = ['CREATE TRIGGER event_position AFTER INSERT ON events BEGIN '
          'UPDATE events SET position = NEW.id WHERE id = NEW.id; END']


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('position', Id, nullable=True))
    op.execute('UPDATE events SET position = id')
    op.create_index('ix_events_position', 'events', ['position'], unique=True)
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER event_position ON events')
        op.execute('DROP FUNCTION event_position()')
        op.execute('DROP SEQUENCE event_positions')
    else:
        op.execute('DROP TRIGGER event_position')
    op.drop_index('ix_events_position', table_name='events')
    with op.batch_alter_table('events') as batch:
        batch.drop_column('position')
