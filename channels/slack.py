"""Slack notifications through an incoming webhook: the handler of 'slack.post' jobs ({'text'}).

A 4xx answer (a revoked or mistyped webhook, a bad payload) fails the job at once, except 429 (Slack's rate limit)
and 408; 5xx answers and network errors are retried with the job. As with email, a worker that dies after Slack
took the post but before the job is marked done posts it again: a webhook has no idempotency key to send.
"""

from __future__ import annotations

import httpx2

from domain.jobs.worker import PermanentError
from storage.jobs import JobRow

KIND = 'slack.post'
RETRIED_4XX = frozenset({408, 429})
TEXT_MAX = 3000  # Slack truncates longer texts in a message's section anyway


class SlackChannel:
    """Posts to one webhook URL over a client kept open between posts (its connections are reused)."""

    def __init__(self, webhook_url: str, *, timeout: float = 10.0) -> None:
        self.webhook_url = webhook_url
        self.timeout = timeout
        self._client: httpx2.AsyncClient | None = None  # made on first use, inside the running event loop

    async def handle(self, job: JobRow) -> None:
        """The 'slack.post' job handler."""
        text = job.payload.get('text')
        if not isinstance(text, str) or not text.strip():
            raise PermanentError('the job has no text to post')
        await self.post(text[:TEXT_MAX])

    async def post(self, text: str) -> None:
        if self._client is None:
            self._client = httpx2.AsyncClient(timeout=self.timeout)
        response = await self._client.post(self.webhook_url, json={'text': text})
        if response.is_success:
            return
        problem = f'Slack answered {response.status_code}: {response.text[:200]}'
        if 400 <= response.status_code < 500 and response.status_code not in RETRIED_4XX:
            raise PermanentError(problem)
        raise SlackUnavailable(problem)

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()


class SlackUnavailable(Exception):
    """Slack answered with an error that may pass (5xx, 429): the job is retried."""
