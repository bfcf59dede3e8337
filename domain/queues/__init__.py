"""Queues and workflows: where requests live, who sees them, and the statuses they move through."""
