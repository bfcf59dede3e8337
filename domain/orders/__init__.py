"""Orders: the timed PENDING -> PAID -> SHIPPED workflow and its API-facing service."""
