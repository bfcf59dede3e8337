"""Tables of the chat widget: the widgets other sites embed and their visitors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .column_types import Id, UTCDateTime, utcnow
from .models import Base


class Widget(Base):
    """A chat widget other sites embed: how it looks, where its conversations go, which sites may frame it."""

    __tablename__ = 'widgets'
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    public_key: Mapped[str] = mapped_column(String(32), unique=True)  # in the snippet's URL: names, proves nothing
    name: Mapped[str] = mapped_column(String(80))
    greeting: Mapped[str] = mapped_column(String(500), default='')
    accent: Mapped[str] = mapped_column(String(7), default='#1976d2')
    queue_id: Mapped[int] = mapped_column(ForeignKey('queues.id'))
    origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    name_field: Mapped[str] = mapped_column(String(8), default='off')  # off | optional | required
    email_field: Mapped[str] = mapped_column(String(8), default='off')
    offline_message: Mapped[str] = mapped_column(String(500), default='')
    secret: Mapped[str] = mapped_column(String(64))  # signs the host site's user ids; admins see and rotate it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WidgetVisitor(Base):
    """An anonymous visitor of a widget (a users row of role 'visitor') and where they were when they last wrote."""

    __tablename__ = 'widget_visitors'
    # One visitor per signed-in user of the host site (a verified identity), the same in every browser.
    __table_args__ = (UniqueConstraint('widget_id', 'external_id'),)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
    widget_id: Mapped[int] = mapped_column(ForeignKey('widgets.id', ondelete='CASCADE'), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    # The account they signed in to inside the widget: their token then acts as that account (domain/widgets).
    account_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'), index=True)
    external_id: Mapped[str | None] = mapped_column(String(255))  # the host site's user id, HMAC-verified
    page_url: Mapped[str] = mapped_column(String(2000), default='')
    referrer: Mapped[str] = mapped_column(String(2000), default='')
    language: Mapped[str] = mapped_column(String(35), default='')
    address: Mapped[str] = mapped_column(String(64), default='')
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
