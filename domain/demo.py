"""Demo data for the local demo: two users and a few requests on the board, seeded once."""

from __future__ import annotations

from domain.desk import Desk
from domain.errors import Conflict

DEMO_USERS = (('admin', 'password', 'admin'), ('user', 'password', 'customer'))
SAMPLE_REQUESTS = (
    ('Projector in room 4 flickers', 'It started on Monday; the cable looks fine.'),
    ('Нужен пропуск для гостя на пятницу', 'Гость приедет к 10:00, фамилия Иванов.'),
    ('Order more paper for the 2nd floor printer', ''),
)


async def seed_demo(desk: Desk) -> None:
    """Create the demo users and sample requests unless they exist already."""
    try:
        for username, password, role in DEMO_USERS:
            await desk.accounts.register(username=username, password=password, repeat=password, role=role)
    except Conflict:
        return  # seeded on an earlier start
    admin, _token = await desk.accounts.sign_in(username='admin', password='password')
    for title, description in SAMPLE_REQUESTS:
        await desk.requests.create(actor_id=admin.id, title=title, description=description)
