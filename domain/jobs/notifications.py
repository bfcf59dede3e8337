"""Notifications of what happened to a request: an email to each person involved who asked for it, a Slack post.

The desk follows 'status.changed' and 'assigned' events with jobs (Desk.follow); the handler here reads who is
involved and queues the outgoing 'email.send' and 'slack.post' jobs in one transaction. Their dedup keys name the
event and the recipient, so a handler run again after its worker died queues nothing twice. The person who made
the change is never told about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.desk import Desk
from storage.jobs import JobRow, NewJob
from storage.rows import RequestRecord
from storage.unit_of_work import UnitOfWorkFactory
from storage.users import Contact

FOLLOWED = {'status.changed': 'notify.status', 'assigned': 'notify.assigned'}  # event kind -> job kind
SENDER_NAME = 'Switchboard'

# The shipped workflows' statuses as the Russian UI names them; statuses added by admins keep their names.
STATUS_RU = {'Open': 'Открыта', 'In progress': 'В работе', 'Closed': 'Закрыта', 'PENDING': 'ОЖИДАЕТ',
             'PAID': 'ОПЛАЧЕН', 'SHIPPED': 'ОТПРАВЛЕН', 'CANCELED': 'ОТМЕНЁН'}
TEXTS: dict[str, dict[str, str]] = {
    'en': {
        'status.subject': 'Request #{id} "{title}" is now {to}',
        'status.line': '{actor} changed the status of request #{id} "{title}" from {old} to {to}.',
        'assigned.subject': 'Request #{id} "{title}" was assigned to you',
        'assigned.line': '{actor} assigned request #{id} "{title}" to you.',
        'greeting': 'Hello, {name}!',
        'open': 'Open it: {url}',
        'why': 'You get this email because you chose it in your Switchboard profile; you can turn it off there.',
    },
    'ru': {
        'status.subject': 'Заявка #{id} «{title}»: теперь {to}',
        'status.line': '{actor} изменил(а) статус заявки #{id} «{title}»: было {old}, стало {to}.',
        'assigned.subject': 'Вам назначена заявка #{id} «{title}»',
        'assigned.line': '{actor} назначил(а) вам заявку #{id} «{title}».',
        'greeting': 'Здравствуйте, {name}!',
        'open': 'Открыть: {url}',
        'why': 'Это письмо пришло, потому что вы выбрали его в профиле Switchboard; там же его можно отключить.',
    },
}


@dataclass(frozen=True)
class Outlets:
    """Which channels are configured, and what their texts need."""

    email: bool
    slack: bool
    language: str = 'en'  # for Slack, and for people who never chose a language
    public_url: str | None = None  # links to the request when the app knows how browsers reach it


class Notifier:
    def __init__(self, uow: UnitOfWorkFactory, outlets: Outlets) -> None:
        self.uow = uow
        self.outlets = outlets

    async def handle(self, job: JobRow) -> None:
        """A followed event's job: queue its notifications (none if the request is gone)."""
        event = job.payload
        if event.get('request_id') is None:
            return
        async with self.uow(write=True) as uow:
            record = await uow.requests.record(int(event['request_id']))
            if record is None:
                return
            involved = {record.author_id, record.assignee_id, event.get('actor_id')} - {None}
            people = {contact.id: contact for contact in await uow.users.contacts(involved)}
            actor, data = people.get(event.get('actor_id')), event.get('data') or {}
            facts = {'id': record.id, 'title': record.title, 'actor': actor.display_name if actor else SENDER_NAME,
                     'old': data.get('from') or '', 'to': data.get('to') or ''}
            jobs = [self._email(event, person, facts) for person in self._recipients(event, record, people)]
            if self.outlets.slack and event['kind'] == 'status.changed':
                jobs.append(NewJob('slack.post', {'text': self._slack_text(facts)},
                                   dedup_key=f'slack:{event["event_id"]}'))
            await uow.jobs.add_many(jobs)
            await uow.commit()

    def _recipients(self, event: dict[str, Any], record: RequestRecord,
                    people: dict[int, Contact]) -> list[Contact]:
        if not self.outlets.email:
            return []
        kind = event['kind']
        wanted: list[int | None] = []
        if kind == 'status.changed':
            wanted = [record.author_id, record.assignee_id]
        # The event names the new assignee only by name: unassigned, or assigned to someone else since, the
        # current assignee is not the one this event is about (a later event tells them).
        elif record.assignee is not None and record.assignee == (event.get('data') or {}).get('to'):
            wanted = [record.assignee_id]
        chosen = [people[user_id] for user_id in dict.fromkeys(wanted) if user_id in people]
        return [person for person in chosen if person.id != event.get('actor_id') and person.is_active
                and person.email and kind in person.notify_events]

    def _email(self, event: dict[str, Any], person: Contact, facts: dict[str, object]) -> NewJob:
        language = person.locale if person.locale in TEXTS else self.outlets.language
        texts = TEXTS.get(language, TEXTS['en'])
        facts = {**facts, 'old': _status(facts['old'], language), 'to': _status(facts['to'], language)}
        topic = 'status' if event['kind'] == 'status.changed' else 'assigned'
        lines = [texts['greeting'].format(name=person.display_name), '', texts[f'{topic}.line'].format(**facts)]
        if self.outlets.public_url:
            lines.append(texts['open'].format(url=f'{self.outlets.public_url}/requests/{facts["id"]}'))
        lines += ['', '-- ', texts['why']]
        return NewJob('email.send', {'to': person.email, 'subject': texts[f'{topic}.subject'].format(**facts),
                                     'body': '\n'.join(lines) + '\n'},
                      dedup_key=f'email:{event["event_id"]}:{person.id}')

    def _slack_text(self, facts: dict[str, object]) -> str:
        language = self.outlets.language if self.outlets.language in TEXTS else 'en'
        shown = {**facts, 'old': _status(facts['old'], language), 'to': _status(facts['to'], language)}
        # Slack reads <...> as links and mentions (<!channel>); people's text must not make any.
        text = TEXTS[language]['status.line'].format(**{key: _slack_escape(str(value)) for key, value in shown.items()})
        if self.outlets.public_url:
            text += f' <{self.outlets.public_url}/requests/{facts["id"]}>'
        return text


def follow_notifications(desk: Desk, outlets: Outlets) -> Notifier:
    """Queue notifications after every followed event; call once per start, when email or Slack is configured."""
    notifier = Notifier(desk.worker.uow, outlets)
    for event_kind, job_kind in FOLLOWED.items():
        desk.follow(event_kind, job_kind, notifier.handle)
    return notifier


def _status(name: object, language: str) -> str:
    return STATUS_RU.get(str(name), str(name)) if language == 'ru' else str(name)


def _slack_escape(text: str) -> str:
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
