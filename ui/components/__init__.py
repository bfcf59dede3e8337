"""Reusable pieces of pages, one per module."""
