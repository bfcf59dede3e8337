"""Live events for API clients: the event log read after a client's last id, shaped and filtered per reader."""
