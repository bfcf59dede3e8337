"""File contents on disk under generated names; the database keeps the name, type, size and checksum."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, data: bytes) -> tuple[str, str]:
        """Write `data` under a new random name; returns (storage name, sha256)."""
        name = secrets.token_hex(16)
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return name, hashlib.sha256(data).hexdigest()

    def path(self, storage_name: str) -> Path:
        # Two levels of fan-out keep directories small; names are hex, so no path tricks get through.
        if not storage_name.isalnum():
            raise ValueError('bad storage name')
        return self.root / storage_name[:2] / storage_name

    def delete(self, storage_name: str) -> None:
        self.path(storage_name).unlink(missing_ok=True)
