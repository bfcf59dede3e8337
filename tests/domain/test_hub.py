"""The event hub: keyed delivery, catch-all subscribers, unsubscribe, and a failing handler skipped."""

from __future__ import annotations

import logging

import pytest

from domain.events import MessagePosted, RequestChanged
from domain.hub import EventHub


async def test_keyed_and_catch_all_subscribers_get_the_event() -> None:
    hub = EventHub()
    keyed: list[object] = []
    everything: list[object] = []
    hub.subscribe(RequestChanged, keyed.append, key=1)
    hub.subscribe(RequestChanged, everything.append)
    hub.publish(RequestChanged(1, 1))
    hub.publish(RequestChanged(2, 1))
    assert keyed == [RequestChanged(1, 1)]
    assert everything == [RequestChanged(1, 1), RequestChanged(2, 1)]


async def test_unsubscribe_is_idempotent_and_stops_delivery() -> None:
    hub = EventHub()
    seen: list[object] = []
    unsubscribe = hub.subscribe(MessagePosted, seen.append, key=5)
    unsubscribe()
    unsubscribe()
    hub.publish(MessagePosted(5, 1, 1, 1))
    assert seen == []
    assert hub.subscriber_count(MessagePosted, 5) == 0


async def test_a_failing_async_handler_is_logged_and_others_still_run(caplog: pytest.LogCaptureFixture) -> None:
    hub = EventHub()
    seen: list[object] = []

    async def broken(_event: object) -> None:
        raise RuntimeError('boom')

    async def working(event: object) -> None:
        seen.append(event)

    hub.subscribe(RequestChanged, broken, key=1)
    hub.subscribe(RequestChanged, working, key=1)
    with caplog.at_level(logging.ERROR, logger='domain.hub'):
        hub.publish(RequestChanged(1, 1))
        await hub.drain()
    assert seen == [RequestChanged(1, 1)]
    assert 'event handler failed' in caplog.text


async def test_events_published_and_handed_to_subscribers_are_counted_by_kind() -> None:
    hub = EventHub()
    hub.subscribe(RequestChanged, lambda _event: None, key=1)
    hub.subscribe(RequestChanged, lambda _event: None)
    hub.publish(RequestChanged(1, 1))
    hub.publish(RequestChanged(2, 1))
    hub.publish(MessagePosted(5, 1, 1, 1))
    assert hub.published_by_kind == {RequestChanged: 2, MessagePosted: 1}
    assert hub.delivered_by_kind == {RequestChanged: 3, MessagePosted: 0}
