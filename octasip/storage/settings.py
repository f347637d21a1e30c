"""Key/value settings in the encrypted database, stored as JSON text."""

from __future__ import annotations

import json
from typing import Any


class SettingsRepository:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def get(self, key: str, default: Any = None) -> Any:
        """The stored value of ``key`` (decoded from JSON), or ``default``."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (_check_key(key),)).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` (anything json.dumps accepts: TypeError otherwise, nothing stored)."""
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        self._conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (_check_key(key), text),
        )

    def delete(self, key: str) -> bool:
        cur = self._conn.execute("DELETE FROM settings WHERE key = ?", (_check_key(key),))
        return cur.rowcount > 0

    def all(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self._conn.execute("SELECT key, value FROM settings ORDER BY key")}


def _check_key(key: str) -> str:
    if not isinstance(key, str) or not key:
        raise ValueError("a setting key must be a non-empty string")
    return key
