"""The rules of Switchboard: permissions, workflows, services and domain events. No NiceGUI, no FastAPI."""
