"""The consent ledger: every grant or revocation, append-only, with its time."""

from __future__ import annotations

import time
from typing import Any

from octasip.core.consent import ConsentEntry, Permission


class ConsentLedger:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def record(self, permission: Permission | str, granted: bool, source: str = "", detail: str = "",
               at: float | None = None) -> ConsentEntry:
        permission = Permission(permission).value
        at = time.time() if at is None else at
        cur = self._conn.execute(
            "INSERT INTO consent (at, permission, granted, source, detail) VALUES (?, ?, ?, ?, ?)",
            (at, permission, int(bool(granted)), source, detail))
        return ConsentEntry(int(cur.lastrowid), at, permission, bool(granted), source, detail)

    def current(self, permission: Permission | str) -> bool | None:
        """The latest decision for ``permission``: True, False, or None if never asked."""
        row = self._conn.execute("SELECT granted FROM consent WHERE permission = ? ORDER BY id DESC LIMIT 1",
                                 (Permission(permission).value,)).fetchone()
        return None if row is None else bool(row[0])

    def latest(self, permission: Permission | str) -> ConsentEntry | None:
        row = self._conn.execute(
            "SELECT id, at, permission, granted, source, detail FROM consent WHERE permission = ?"
            " ORDER BY id DESC LIMIT 1", (Permission(permission).value,)).fetchone()
        return _entry(row) if row else None

    def entries(self) -> list[ConsentEntry]:
        """The whole ledger, oldest first."""
        rows = self._conn.execute("SELECT id, at, permission, granted, source, detail FROM consent ORDER BY id")
        return [_entry(r) for r in rows]


def _entry(row: tuple) -> ConsentEntry:
    return ConsentEntry(int(row[0]), float(row[1]), row[2], bool(row[3]), row[4], row[5])
