"""Tables of outgoing webhooks: the endpoints admins register and each delivery's log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .column_types import Id, UTCDateTime, utcnow
from .models import Base


class WebhookEndpoint(Base):
    """An admin's outgoing webhook: where events of the chosen kinds are POSTed, signed with its secret."""

    __tablename__ = 'webhook_endpoints'
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)  # public kinds: ticket.created, ...
    secret: Mapped[str] = mapped_column(String(128))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # deliveries that finally failed, in a row
    disabled_reason: Mapped[str | None] = mapped_column(Text)  # set when the app switched it off by itself
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One event for one endpoint: its body as first built, and how its latest attempt went."""

    __tablename__ = 'webhook_deliveries'
    # One delivery per (endpoint, event): a fan-out run again makes none twice. The log pages by (endpoint, id).
    __table_args__ = (UniqueConstraint('endpoint_id', 'event_id'), Index('ix_webhook_deliveries_log', 'endpoint_id',
                                                                         'id'))
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # the X-Switchboard-Delivery header, every attempt
    endpoint_id: Mapped[int] = mapped_column(ForeignKey('webhook_endpoints.id', ondelete='CASCADE'))
    event_id: Mapped[int] = mapped_column(Id)
    kind: Mapped[str] = mapped_column(String(32))  # the public kind
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default='pending')  # pending | retrying | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    resends: Mapped[int] = mapped_column(Integer, default=0)  # names each resend's job apart
    response_code: Mapped[int | None] = mapped_column(Integer)
    response_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
