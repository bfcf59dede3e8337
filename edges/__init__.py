"""The service's edges: CORS, rate limits, health, metrics and request logs, as pure ASGI middleware and routes."""
