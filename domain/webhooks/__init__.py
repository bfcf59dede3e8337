"""Outgoing webhooks: endpoints admins register, events fanned out to them as signed, retried deliveries."""
