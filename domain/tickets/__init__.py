"""Tickets and the support chat: the staff desk, the customer chat, Telegram intake."""
