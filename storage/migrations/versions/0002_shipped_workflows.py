"""shipped workflows and the public board

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _seed_workflows_and_board()


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM queues WHERE name = 'Board'"))
    bind.execute(sa.text("DELETE FROM workflows WHERE name IN ('Ticket', 'Order')"))


WORKFLOWS = {
    'Ticket': ([('Open', 'open'), ('In progress', 'active'), ('Closed', 'closed')],
               [('Open', 'In progress'), ('Open', 'Closed'), ('In progress', 'Open'), ('In progress', 'Closed'),
                ('Closed', 'Open')]),
    'Order': ([('PENDING', 'open'), ('PAID', 'active'), ('SHIPPED', 'active'), ('CANCELED', 'closed')],
              [('PENDING', 'PAID'), ('PAID', 'SHIPPED'), ('SHIPPED', 'CANCELED'), ('PENDING', 'CANCELED'),
               ('PAID', 'CANCELED')]),
}


def _seed_workflows_and_board() -> None:
    bind = op.get_bind()
    for name, (statuses, transitions) in WORKFLOWS.items():
        workflow_id = bind.execute(sa.text('INSERT INTO workflows (name) VALUES (:n) RETURNING id'), {'n': name}).scalar()
        ids = {}
        for position, (status, kind) in enumerate(statuses):
            ids[status] = bind.execute(
                sa.text('INSERT INTO workflow_statuses (workflow_id, name, kind, position) '
                        'VALUES (:w, :n, :k, :p) RETURNING id'),
                {'w': workflow_id, 'n': status, 'k': kind, 'p': position}).scalar()
        for source, target in transitions:
            bind.execute(sa.text('INSERT INTO workflow_transitions (workflow_id, from_status_id, to_status_id) '
                                 'VALUES (:w, :f, :t)'), {'w': workflow_id, 'f': ids[source], 't': ids[target]})
    ticket = bind.execute(sa.text("SELECT id FROM workflows WHERE name = 'Ticket'")).scalar()
    bind.execute(sa.text("INSERT INTO queues (name, visibility, workflow_id, fields) VALUES ('Board', 'public', :w, '[]')"),
                 {'w': ticket})
