"""Patches of, and reliance on, other libraries' private internals: each guarded by a test and a version range."""
