"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the notification tests: it keeps what it receives.

It can go down and come back on the same port, as a mail server being restarted does, and it refuses the
recipients a test names with a 550, as a server does for a mailbox that does not exist.
"""

from __future__ import annotations

import email
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

from tests.ports import free_port


@dataclass
class Mailbox:
    """aiosmtpd's handler: every message accepted, parsed, with its envelope recipients."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # answered "550 no such user"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() in self.refused:
            return f'550 5.1.1 <{address}>: no such user here'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return '250 OK: queued'

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [message for recipients, message in self.messages if address in recipients]

    def duplicates(self) -> dict[str, int]:
        """Message-IDs received more than once."""
        with self.lock:
            counts = Counter(str(message['Message-ID']) for _recipients, message in self.messages)
        return {message_id: count for message_id, count in counts.items() if count > 1}


class SmtpServer:
    """aiosmtpd on a free port of 127.0.0.1; `stop()` takes it down and `start()` brings it back on that port."""

    def __init__(self, mailbox: Mailbox | None = None) -> None:
        self.mailbox = mailbox or Mailbox()
        self.host = '127.0.0.1'
        self.port = free_port(self.host)
        self._controller: Controller | None = None

    def start(self) -> None:
        # A new controller each time: aiosmtpd's is not meant to be started twice.
        self._controller = Controller(self.mailbox, hostname=self.host, port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self) -> None:
        """The server goes down: connections to its port are refused until `start()`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
