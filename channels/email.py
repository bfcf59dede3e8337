"""Notification email through one SMTP server: the handler of 'email.send' jobs ({'to', 'subject', 'body'}).

Each message carries a Message-ID made from its job's dedup key. A job whose worker died after the server took the
message but before the job was marked done runs again, and the mail goes out a second time: SMTP cannot ask a
server whether it already has a message. The resend carries the same Message-ID, so receivers and mail clients
that deduplicate or thread by Message-ID can tell it is the same mail; that is as close to "exactly once" as SMTP
gets. Everything before the server's "250 OK" (a server that is down, a 4xx answer) is retried with the job.

A 5xx answer to the recipient or to the message fails the job at once (PermanentError). Anything else is retried:
a refused login or sender, a server that greets with an error, a lost connection, any 4xx; fixing the settings or
the server makes those succeed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

import aiosmtplib

from domain.jobs.worker import PermanentError
from settings import SmtpSettings
from storage.jobs import JobRow

KIND = 'email.send'
BODY_CHARSET = Charset('utf-8')
BODY_CHARSET.body_encoding = QP  # readable in the raw message, and no line too long for SMTP


class EmailChannel:
    """Sends through up to `connections` SMTP connections, kept open between messages for a short while."""

    def __init__(self, smtp: SmtpSettings, *, connections: int = 4, timeout: float = 30.0,
                 idle: float = 30.0) -> None:
        self.smtp = smtp
        self.timeout = timeout
        self.idle = idle  # servers close idle connections; one idle for longer is not reused
        self._slots = asyncio.Semaphore(connections)
        self._open: list[tuple[aiosmtplib.SMTP, float]] = []  # idle connections and since when

    async def handle(self, job: JobRow) -> None:
        """The 'email.send' job handler."""
        await self.send(compose(job.payload, sender=self.smtp.sender, key=job.dedup_key or f'job:{job.id}'))

    async def send(self, message: Message) -> None:
        async with self._slots:
            kept = self._kept_connection()
            if kept is not None:
                try:
                    return await self._send_on(kept, message)
                except aiosmtplib.SMTPServerDisconnected:
                    pass  # the server dropped the connection while it was kept: go on with a fresh one
                except aiosmtplib.SMTPResponseException as error:
                    if error.code != 421:  # 421: the server closes it (too many messages on one connection)
                        raise
            await self._send_on(await self._connect(), message)

    async def close(self) -> None:
        """Close the idle connections (at shutdown)."""
        idle, self._open = self._open, []
        for client, _since in idle:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.quit(), 2)
            client.close()

    async def _send_on(self, client: aiosmtplib.SMTP, message: Message) -> None:
        try:
            await client.send_message(message)
        except Exception as error:
            client.close()  # whatever went wrong, the next message starts on a fresh connection
            problem = classify(error)
            if problem is error:
                raise
            raise problem from error
        except BaseException:  # cancelled mid-conversation: the connection is in an unknown state
            client.close()
            raise
        self._open.append((client, time.monotonic()))

    def _kept_connection(self) -> aiosmtplib.SMTP | None:
        while self._open:
            client, since = self._open.pop()
            if client.is_connected and time.monotonic() - since < self.idle:
                return client
            client.close()
        return None

    async def _connect(self) -> aiosmtplib.SMTP:
        smtp = self.smtp
        client = aiosmtplib.SMTP(hostname=smtp.host, port=smtp.port, timeout=self.timeout,
                                 use_tls=smtp.tls == 'tls', start_tls=smtp.tls == 'starttls',
                                 username=smtp.user, password=smtp.password)
        await client.connect()  # logs in too when a user is set
        return client


def compose(payload: dict[str, Any], *, sender: str, key: str) -> Message:
    """The message for one job; a payload without a usable address can never be sent."""
    to, subject, body = payload.get('to'), payload.get('subject'), payload.get('body')
    if not isinstance(to, str) or '@' not in parseaddr(to)[1]:
        raise PermanentError(f'no valid recipient address in the job: {to!r}')
    if not isinstance(subject, str) or not isinstance(body, str):
        raise PermanentError('the job has no subject or body')
    # The classic (compat32) message classes: a fifth of the CPU of EmailMessage's header objects, which
    # matters at hundreds of mails a second; non-ASCII headers are encoded here explicitly instead.
    message = MIMEText(body, 'plain', BODY_CHARSET)
    message['From'] = formataddr(parseaddr(sender))
    message['To'] = to
    subject = ' '.join(subject.split())  # a line break in a header would end it
    message['Subject'] = subject if subject.isascii() else Header(subject, 'utf-8')
    message['Date'] = formatdate(usegmt=True)
    message['Message-ID'] = message_id(key, sender)
    message['Auto-Submitted'] = 'auto-generated'  # RFC 3834: vacation responders do not answer it
    return message


def message_id(key: str, sender: str) -> str:
    """The same Message-ID for every attempt of one job, and a different one for every other job."""
    domain = parseaddr(sender)[1].rpartition('@')[2] or 'switchboard.invalid'
    return f'<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>'


def classify(error: Exception) -> Exception:
    """PermanentError for what no retry can fix; the error itself (retried) for everything else."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        if all(refused.code >= 500 for refused in error.recipients):
            refused = error.recipients[0]
            return PermanentError(f'{refused.recipient} refused: {refused.code} {refused.message}')
        return error
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError) and error.code >= 500:
        return PermanentError(f'refused: {error.code} {error.message}')
    if isinstance(error, ValueError):  # aiosmtplib's address check: an address SMTP cannot carry
        return PermanentError(str(error))
    return error
