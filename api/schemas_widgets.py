"""Schemas of /api/v1/widgets: a widget's settings in; its settings, snippets and secret out (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from domain.widgets.checks import NAME_MAX, ORIGINS_MAX, TEXT_MAX, WidgetDraft
from domain.widgets.snippet import snippets
from storage.widgets import WidgetRow

from .schemas import NOT_BLANK, Id, Input, Output, example

# Checked by domain.widgets.checks.normal_origin (scheme, host name or address, port), which names the field.
Origin = Annotated[str, Field(max_length=300)]
FieldMode = Literal['off', 'optional', 'required']  # domain.widgets.checks.FIELD_MODES


class WidgetIn(Input):
    model_config = example({'name': 'Shop chat', 'queue_id': 2, 'origins': ['https://shop.example.com'],
                            'greeting': 'Hi! How can we help?', 'accent': '#1976d2', 'name_field': 'optional',
                            'email_field': 'required', 'offline_message': 'We answer within a day.'})
    name: str = Field(min_length=1, max_length=NAME_MAX, pattern=NOT_BLANK, examples=['Shop chat'])
    queue_id: Id = Field(description='A private queue: the conversations arrive there as tickets', examples=[2])
    origins: list[Origin] = Field(default_factory=list, max_length=ORIGINS_MAX,
                               description='Websites allowed to embed the widget, each exactly scheme://host[:port]',
                               examples=[['https://shop.example.com']])
    greeting: str = Field('', max_length=TEXT_MAX, examples=['Hi! How can we help?'])
    accent: str = Field('#1976d2', pattern=r'^#[0-9a-fA-F]{6}$', examples=['#1976d2'])
    name_field: FieldMode = Field('off', description='Ask for the visitor\'s name before the first message')
    email_field: FieldMode = Field('off', description='Ask for the visitor\'s email before the first message')
    offline_message: str = Field('', max_length=TEXT_MAX, examples=['We answer within a day.'])

    def draft(self) -> WidgetDraft:
        return WidgetDraft(name=self.name, queue_id=self.queue_id, origins=tuple(self.origins),
                           greeting=self.greeting, accent=self.accent, name_field=self.name_field,
                           email_field=self.email_field, offline_message=self.offline_message)


SNIPPETS = {'script': '<script src="https://desk.example.com/widget/Xy3kQ0bL2mNe8RtV/loader.js" async></script>',
            'iframe': '<iframe src="https://desk.example.com/widget/Xy3kQ0bL2mNe8RtV" title="Chat"></iframe>',
            'page_url': 'https://desk.example.com/widget/Xy3kQ0bL2mNe8RtV',
            'identified_script': '<script src="https://desk.example.com/widget/Xy3kQ0bL2mNe8RtV/loader.js" '
                                 'data-user-id="USER_ID" data-user-name="NAME" data-user-email="EMAIL" '
                                 'data-user-hash="HASH" async></script>',
            'identified_iframe': '<iframe src="https://desk.example.com/widget/Xy3kQ0bL2mNe8RtV#user_id=USER_ID&amp;'
                                 'user_name=NAME&amp;user_email=EMAIL&amp;user_hash=HASH" title="Chat"></iframe>'}
WIDGET = {'id': 1, 'public_key': 'Xy3kQ0bL2mNe8RtV', 'name': 'Shop chat', 'queue_id': 2,
          'origins': ['https://shop.example.com'], 'greeting': 'Hi! How can we help?', 'accent': '#1976d2',
          'name_field': 'optional', 'email_field': 'required', 'offline_message': 'We answer within a day.',
          'created_at': '2026-12-07T09:00:00Z', 'snippets': SNIPPETS, 'secret': 'q7VdW2xR9kLmN4pB8sTz1cYe5uHj0aFg'}
SECRET = WIDGET['secret']


class SnippetsOut(Output):
    model_config = example(SNIPPETS)
    script: str = Field(description='Paste before </body>: a launcher button that opens the chat',
                        examples=['<script src="https://desk.example.com/widget/Xy3.../loader.js" async></script>'])
    iframe: str = Field(description='Or embed the chat where it should be, with no script',
                        examples=['<iframe src="https://desk.example.com/widget/Xy3..." title="Chat" ...></iframe>'])
    page_url: str = Field(examples=['https://desk.example.com/widget/Xy3...'])
    identified_script: str = Field(
        description="The script naming the host site's signed-in user: fill in USER_ID, NAME, EMAIL and HASH (the "
                    "HMAC-SHA256 of USER_ID under the widget's secret, hex) on your server",
        examples=['<script src=".../loader.js" data-user-id="USER_ID" ... data-user-hash="HASH" async></script>'])
    identified_iframe: str = Field(
        description='The iframe naming the signed-in user after "#" (a fragment never reaches a server or its logs)',
        examples=['<iframe src="https://desk.example.com/widget/Xy3...#user_id=USER_ID&amp;...&amp;user_hash=HASH"'
                  ' ...></iframe>'])


class WidgetOut(Output):
    model_config = example(WIDGET)
    id: int = Field(examples=[1])
    public_key: str = Field(description='Names the widget in its snippet; no secret', examples=['Xy3kQ0bL2mNe8RtV'])
    name: str = Field(examples=['Shop chat'])
    queue_id: int = Field(examples=[2])
    origins: list[str] = Field(examples=[['https://shop.example.com']])
    greeting: str = Field(examples=['Hi! How can we help?'])
    accent: str = Field(examples=['#1976d2'])
    name_field: FieldMode
    email_field: FieldMode
    offline_message: str = Field(examples=['We answer within a day.'])
    created_at: datetime
    snippets: SnippetsOut
    secret: str = Field(description="Signs the host site's user ids (HMAC-SHA256 of the id, hex) so the widget "
                                    'knows them; keep it on your server. Rotate it with POST .../secret',
                        examples=['q7Vd...'])

    @classmethod
    def of(cls, widget: WidgetRow, desk_url: str, secret: str) -> WidgetOut:
        shown = snippets(desk_url, widget.public_key)
        return cls(id=widget.id, public_key=widget.public_key, name=widget.name, queue_id=widget.queue_id,
                   origins=list(widget.origins), greeting=widget.greeting, accent=widget.accent,
                   name_field=widget.name_field,  # type: ignore[arg-type]
                   email_field=widget.email_field,  # type: ignore[arg-type]
                   offline_message=widget.offline_message, created_at=widget.created_at,
                   snippets=SnippetsOut(script=shown.script, iframe=shown.iframe, page_url=shown.page_url,
                                        identified_script=shown.identified_script,
                                        identified_iframe=shown.identified_iframe),
                   secret=secret)


class SecretOut(Output):
    model_config = example({'secret': SECRET})
    secret: str = Field(description='The new secret; identities signed with the old one are refused from now on',
                        examples=['q7Vd...'])
