"""One sub page per module; each `register` adds its routes."""
