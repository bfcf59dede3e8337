"""The desk: every service and the event hub, built once per start by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database
from storage.unit_of_work import UnitOfWork

from .accounts import AccountService
from .conversations import ConversationService
from .hub import EventHub
from .requests import RequestService


@dataclass
class Desk:
    database: Database
    hub: EventHub
    accounts: AccountService
    requests: RequestService
    conversations: ConversationService

    @classmethod
    def build(cls, database: Database, *, secret_key: str, bcrypt_rounds: int = 12) -> Desk:
        hub = EventHub()

        def uow() -> UnitOfWork:
            return UnitOfWork(database, hub.publish)

        return cls(database=database, hub=hub,
                   accounts=AccountService(uow, secret_key=secret_key, bcrypt_rounds=bcrypt_rounds),
                   requests=RequestService(uow), conversations=ConversationService(uow))
