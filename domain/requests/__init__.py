"""Requests and their conversations: filing, reading, responding, custom fields, list views."""
