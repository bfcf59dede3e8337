"""Answers for widget visitors who have gone: an agent's reply on a widget ticket is emailed to the address the
visitor left (asked when nobody was online, or by the pre-chat fields) through the usual 'email.send' jobs.

The desk follows 'message.posted' with a gate that passes only staff replies on widget tickets (one read in the
committing transaction); the handler then skips a visitor whose widget is open right now (they see the reply
live) and one without an address. The dedup key names the message, so a handler run again queues nothing twice.
The reply stays in the widget too: the visitor finds it there when they come back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from domain import permissions
from domain.desk import Desk
from storage.events import NewEvent
from storage.jobs import JobRow, NewJob
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

from .presence import Presence
from .visitors import CHANNEL

JOB = 'notify.widget_reply'
TEXTS: dict[str, dict[str, str]] = {
    'en': {
        'subject': 'Answer to your question: {title}',
        'greeting': 'Hello, {name}!',
        'line': '{agent} answered you in the chat:',
        'back': 'Your conversation is waiting in the chat on the site: {url}',
        'back_plain': 'Your conversation is waiting in the chat on the site.',
        'why': 'You get this email because you left your address in the chat.',
    },
    'ru': {
        'subject': 'Ответ на ваш вопрос: {title}',
        'greeting': 'Здравствуйте, {name}!',
        'line': '{agent} ответил(а) вам в чате:',
        'back': 'Переписка ждёт вас в чате на сайте: {url}',
        'back_plain': 'Переписка ждёт вас в чате на сайте.',
        'why': 'Это письмо пришло, потому что вы оставили свой адрес в чате.',
    },
}


class OfflineReplies:
    def __init__(self, uow: UnitOfWorkFactory, presence: Presence, *, language: str = 'en') -> None:
        self.uow = uow
        self.presence = presence
        self.language = language if language in TEXTS else 'en'

    async def wanted(self, uow: UnitOfWork, event: NewEvent) -> bool:
        """A reply to the author of a widget ticket (not the author's own message)."""
        if event.request_id is None or event.channel == CHANNEL:  # a visitor's own message: no read needed
            return False
        record = await uow.requests.record(event.request_id)
        return record is not None and record.channel == CHANNEL and record.author_id != event.actor_id

    async def handle(self, job: JobRow) -> None:
        event = job.payload
        data = event.get('data') or {}
        async with self.uow(write=True) as uow:
            record = await uow.requests.record(int(event['request_id']))
            message = await uow.conversations.message(int(data.get('message_id') or 0))
            actor = await uow.users.get(int(event.get('actor_id') or 0))
            if record is None or message is None or message.kind != 'text' or not permissions.is_staff(actor):
                return
            if self.presence.visitor_here(record.author_id):
                return  # watching the widget: the reply is already on their screen
            visitor = await uow.widgets.of_author(record.author_id)
            [author] = await uow.users.contacts([record.author_id]) or [None]
            address = (visitor.email if visitor else None) or (author.email if author else None)
            if not address or author is None or not author.is_active:
                return
            facts = {'name': author.display_name, 'agent': actor.display_name if actor else '', 'title': record.title,
                     'text': message.body, 'url': _page(visitor.page_url if visitor else '')}
            language = 'ru' if (visitor.language if visitor else '').lower().startswith('ru') else self.language
            await uow.jobs.add_many([NewJob('email.send', _email(address, facts, language),
                                            dedup_key=f'widget-reply:{message.id}')])
            await uow.commit()


def follow_offline_replies(desk: Desk, *, language: str = 'en') -> OfflineReplies:
    """Email staff replies to widget visitors who are away; call once per start, when email is configured."""
    replies = OfflineReplies(desk.worker.uow, desk.presence, language=language)
    desk.follow('message.posted', JOB, replies.handle, wanted=replies.wanted)
    return replies


def _email(address: str, facts: dict[str, str], language: str) -> dict[str, Any]:
    texts = TEXTS[language]
    quoted = '\n'.join(f'> {line}' for line in facts['text'].splitlines() or [''])
    back = texts['back'].format(url=facts['url']) if facts['url'] else texts['back_plain']
    lines = [texts['greeting'].format(**facts), '', texts['line'].format(**facts), '', quoted, '', back,
             '', '-- ', texts['why']]
    return {'to': address, 'subject': texts['subject'].format(**facts), 'body': '\n'.join(lines) + '\n'}


def _page(url: str) -> str:
    """The host page the visitor wrote from, if it is a web address (their browser said so: nothing else links)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ''
    return url if parts.scheme in ('http', 'https') and parts.netloc else ''
