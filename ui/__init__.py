"""NiceGUI pages and components; they call domain services and subscribe to domain events."""
