"""Jobs and notifications: the durable outbox, its worker, who is told of what and how."""
