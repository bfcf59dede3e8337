"""Schemas for requests, their conversations, messages and files."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool

try:
    import orjson
except ImportError:  # NiceGUI installs it except on 32-bit x86 and PyPy
    orjson = None  # type: ignore[assignment]

from domain.requests.conversations import MESSAGE_MAX
from domain.requests.service import DESCRIPTION_MAX, TITLE_MAX, RequestView
from domain.requests.views import MessageRow
from domain.tickets.support import SupportChat

from .schemas import NOT_BLANK, Id, Input, Output, Page, example

FILES = '/api/v1/files'
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX, pattern=NOT_BLANK, description='More than spaces')]
Description = Annotated[str, Field(max_length=DESCRIPTION_MAX)]
Text = Annotated[str, Field(min_length=1, max_length=MESSAGE_MAX, pattern=NOT_BLANK, description='More than spaces')]
Kind = Literal['open', 'active', 'closed']  # domain.queues.checks.KINDS
# Examples, as the local demo answers (docs/api.md walks through it).
OPEN = {'id': 1, 'name': 'Open', 'kind': 'open', 'position': 0}
IN_PROGRESS = {'id': 2, 'name': 'In progress', 'kind': 'active', 'position': 1}
CLOSED = {'id': 3, 'name': 'Closed', 'kind': 'closed', 'position': 2}
REQUEST = {'id': 5, 'title': 'Second monitor for desk 12', 'description': 'The old one went dark.', 'queue': 'Board',
           'visibility': 'public', 'channel': 'api', 'status': OPEN, 'next_statuses': [IN_PROGRESS, CLOSED],
           'author_id': 2, 'author': 'user', 'assignee_id': None, 'assignee': None, 'response_count': 0,
           'created_at': '2026-12-07T08:04:24.804355Z', 'updated_at': '2026-12-07T08:04:24.804355Z', 'closed_at': None,
           'can_respond': False, 'is_author': True}
ROW = {'id': 5, 'title': 'Second monitor for desk 12', 'status_id': 1, 'status': 'Open', 'status_kind': 'open',
       'author_id': 2, 'author': 'user', 'created_at': '2026-12-07T08:04:24.804355Z',
       'updated_at': '2026-12-07T08:04:24.804355Z', 'response_count': 0}
MESSAGE = {'id': 2, 'conversation_id': 1, 'author_id': 1, 'author': 'admin', 'kind': 'text',
           'body': 'Which VPN client do you use?', 'created_at': '2026-12-07T08:04:16.232456Z', 'attachments': []}


class StatusOut(Output):
    model_config = example(IN_PROGRESS)
    id: int
    name: str
    kind: Kind
    position: int


class RequestIn(Input):
    model_config = example({'title': 'Second monitor for desk 12', 'description': 'The old one went dark.'})
    title: Title
    description: Description = ''
    status_id: Id | None = Field(None, description="A status of the board's workflow; its first one when left out")


class StatusChangeIn(Input):
    model_config = example({'status_id': 2})
    status_id: Id


class AssigneeIn(Input):
    model_config = example({'assignee_id': 3})
    assignee_id: Id | None = Field(description='An active agent or admin; null to unassign')


class RequestRowOut(Output):
    model_config = example(ROW)
    id: int
    title: str
    status_id: int
    status: str
    status_kind: str
    author_id: int
    author: str
    created_at: datetime
    updated_at: datetime
    response_count: int


class RequestOut(Output):
    model_config = example(REQUEST)
    id: int
    title: str
    description: str
    queue: str
    visibility: str
    channel: str
    status: StatusOut
    next_statuses: list[StatusOut] = Field(description='Where you may move it; empty if you may not')
    author_id: int
    author: str
    assignee_id: int | None
    assignee: str | None
    response_count: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    can_respond: bool
    is_author: bool

    @classmethod
    def of(cls, view: RequestView) -> RequestOut:
        record = view.request
        return cls(id=record.id, title=record.title, description=record.description, queue=record.queue,
                   visibility=record.visibility, channel=record.channel, status=StatusOut.model_validate(view.status),
                   next_statuses=[StatusOut.model_validate(status) for status in view.next_statuses],
                   author_id=record.author_id, author=record.author, assignee_id=record.assignee_id,
                   assignee=record.assignee, response_count=record.response_count, created_at=record.created_at,
                   updated_at=record.updated_at, closed_at=record.closed_at, can_respond=view.can_respond,
                   is_author=view.is_author)


class MessageIn(Input):
    model_config = example({'text': 'My VPN drops every hour.'})
    text: Text


class ReplyIn(Input):
    model_config = example({'text': 'Which VPN client do you use?', 'note': False})
    text: Text
    note: StrictBool = Field(False, description='An internal note: staff see it, the customer never does')


class AttachmentOut(Output):
    model_config = example({'id': 1, 'filename': 'vpn.log', 'content_type': 'text/plain', 'size': 2048,
                            'sha256': '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
                            'url': f'{FILES}/1'})
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str


class MessageOut(Output):
    model_config = example(MESSAGE)
    id: int
    conversation_id: int
    author_id: int | None
    author: str
    kind: str = Field(description='text, system or note')
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]

    @classmethod
    def of(cls, message: MessageRow) -> MessageOut:
        files = [AttachmentOut(id=a.id, filename=a.filename, content_type=a.content_type, size=a.size,
                               sha256=a.sha256, url=f'{FILES}/{a.id}') for a in message.attachments]
        return cls(id=message.id, conversation_id=message.conversation_id, author_id=message.author_id,
                   author=message.author, kind=message.kind, body=message.body, created_at=message.created_at,
                   attachments=files)


def messages_json(messages: list[MessageRow], next_cursor: str | None) -> bytes:
    """A page of messages as Page[MessageOut] serialises it, without building and validating a model per message and
    per file: that took about a third of the CPU of GET /tickets/{id}/messages (25 messages).
    tests/api/test_messages_json.py holds both ways to the same JSON."""
    if orjson is None:  # a platform without orjson's wheels: pydantic, as for every other answer
        return Page[MessageOut](items=[MessageOut.of(message) for message in messages],
                                next_cursor=next_cursor).model_dump_json().encode()
    items = [{'id': m.id, 'conversation_id': m.conversation_id, 'author_id': m.author_id, 'author': m.author,
              'kind': m.kind, 'body': m.body, 'created_at': m.created_at,
              'attachments': [{'id': a.id, 'filename': a.filename, 'content_type': a.content_type, 'size': a.size,
                               'sha256': a.sha256, 'url': f'{FILES}/{a.id}'} for a in m.attachments]}
             for m in messages]
    return orjson.dumps({'items': items, 'next_cursor': next_cursor}, option=orjson.OPT_UTC_Z)


class ConversationOut(Output):
    model_config = example({'id': 2, 'request_id': 5, 'counterpart_id': 3, 'counterpart': 'agent.x', 'message_count': 2,
                            'last_message_at': '2026-12-07T08:10:02.118000Z',
                            'last_message': 'I have a spare one in the store room.', 'last_message_author_id': 3,
                            'unread': 1})
    id: int
    request_id: int
    counterpart_id: int | None = Field(description='Who the author talks to; null for the staff team of a ticket')
    counterpart: str
    message_count: int
    last_message_at: datetime
    last_message: str
    last_message_author_id: int | None
    unread: int


class TicketThreadOut(Output):
    model_config = example({'ticket': ROW | {'id': 4, 'title': 'My VPN drops every hour.'}, 'conversation_id': 1,
                            'messages': [MESSAGE]})
    ticket: RequestRowOut
    conversation_id: int
    messages: list[MessageOut]


class SupportChatOut(Output):
    model_config = example({'tickets': [{'ticket': ROW | {'id': 4, 'title': 'My VPN drops every hour.'},
                                         'conversation_id': 1, 'messages': [MESSAGE]}],
                            'open_ticket_id': 4, 'read_upto': 1})
    tickets: list[TicketThreadOut] = Field(description='Earlier tickets first; the open one, if any, last')
    open_ticket_id: int | None
    read_upto: int = Field(description='Support has read your messages up to this id')

    @classmethod
    def of(cls, chat: SupportChat) -> SupportChatOut:
        return cls(tickets=[TicketThreadOut(ticket=RequestRowOut.model_validate(thread.ticket),
                                            conversation_id=thread.conversation_id,
                                            messages=[MessageOut.of(m) for m in thread.messages])
                            for thread in chat.threads],
                   open_ticket_id=chat.open_ticket_id, read_upto=chat.read_upto)
