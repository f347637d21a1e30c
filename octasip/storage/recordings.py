"""Recording rows and the recording access log (schema v3). Plain SQL; the files are privacy.recordings'."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from octasip.core.history import remote_label
from octasip.core.recordings import AccessAction, AccessEntry, RecordingInfo, RecordingState

_COLUMNS = ("r.id, r.call_row, r.started_at, r.seconds, r.channels, r.rate, r.state, "
            "COALESCE(c.remote_uri, ''), COALESCE(c.remote_name, '')")


def _info(row: tuple) -> RecordingInfo:
    """`remote`: as the history shows the call (name, else number or user@host); empty without a history row."""
    return RecordingInfo(row[0], row[1], float(row[2]), float(row[3]), int(row[4]), int(row[5]),
                         RecordingState(row[6]), remote_label(row[7], row[8]) if row[1] is not None else "")


class RecordingRepository:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def start(self, recording_id: str, call_row: int | None, started_at: float, channels: int, rate: int,
              session: str | None = None) -> None:
        """`session`: the writing process's session lock id (octasip.storage.session_lock), for crash recovery."""
        self.conn.execute(
            "INSERT INTO recordings (id, call_row, started_at, channels, rate, state, session)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (recording_id, call_row, started_at, channels, rate, RecordingState.RECORDING.value, session))

    def finish(self, recording_id: str, ended_at: float, seconds: float, state: RecordingState,
               error: str = "") -> None:
        self.conn.execute("UPDATE recordings SET ended_at = ?, seconds = ?, state = ?, error = ? WHERE id = ?",
                          (ended_at, seconds, RecordingState(state).value, error, recording_id))

    def get(self, recording_id: str) -> RecordingInfo | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM recordings r LEFT JOIN calls c ON c.id = r.call_row "
                                "WHERE r.id = ?", (recording_id,)).fetchone()
        return _info(row) if row else None

    def error(self, recording_id: str) -> str:
        row = self.conn.execute("SELECT error FROM recordings WHERE id = ?", (recording_id,)).fetchone()
        return row[0] if row else ""

    def list(self, limit: int = 200, before: float | None = None, call_row: int | None = None) -> list[RecordingInfo]:
        """Newest first; `before`: started before this time (paging); `call_row`: one call's recordings."""
        where, args = [], []
        if before is not None:
            where.append("r.started_at < ?")
            args.append(before)
        if call_row is not None:
            where.append("r.call_row = ?")
            args.append(call_row)
        sql = (f"SELECT {_COLUMNS} FROM recordings r LEFT JOIN calls c ON c.id = r.call_row"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY r.started_at DESC LIMIT ?")
        return [_info(r) for r in self.conn.execute(sql, (*args, limit))]

    def for_calls(self, call_rows: Iterable[int]) -> dict[int, list[RecordingInfo]]:
        """The recordings of these history rows (for the history view)."""
        rows = list(call_rows)
        out: dict[int, list[RecordingInfo]] = {}
        for i in range(0, len(rows), 500):
            part = rows[i:i + 500]
            marks = ",".join("?" * len(part))
            for r in self.conn.execute(f"SELECT {_COLUMNS} FROM recordings r LEFT JOIN calls c ON c.id = r.call_row "
                                       f"WHERE r.call_row IN ({marks}) ORDER BY r.started_at", part):
                info = _info(r)
                out.setdefault(int(info.call_row), []).append(info)  # type: ignore[arg-type]
        return out

    def ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM recordings")}

    def older_than(self, ts: float) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM recordings WHERE started_at < ? AND state != ?", (ts, RecordingState.RECORDING.value))]

    def open_sessions(self) -> set[str]:
        """Sessions with recordings still being written (or left so by a process that died)."""
        return {r[0] or "" for r in self.conn.execute("SELECT DISTINCT session FROM recordings WHERE state = ?",
                                                      (RecordingState.RECORDING.value,))}

    def open_recordings(self, sessions: set[str] | None = None) -> list[str]:
        """Recordings still in state "recording" (of these `sessions` only, if given)."""
        rows = self.conn.execute("SELECT id, coalesce(session, '') FROM recordings WHERE state = ?",
                                 (RecordingState.RECORDING.value,))
        return [r[0] for r in rows if sessions is None or r[1] in sessions]

    def delete(self, recording_id: str) -> bool:
        return self.conn.execute("DELETE FROM recordings WHERE id = ?", (recording_id,)).rowcount > 0

    def log_access(self, recording_id: str, action: AccessAction, source: str, detail: str = "",
                   at: float | None = None) -> AccessEntry:
        at = time.time() if at is None else at
        cur = self.conn.execute(
            "INSERT INTO recording_access (at, recording_id, action, source, detail) VALUES (?, ?, ?, ?, ?)",
            (at, recording_id, AccessAction(action).value, source, detail))
        return AccessEntry(int(cur.lastrowid), at, recording_id, AccessAction(action), source, detail)

    def access_log(self, limit: int = 500) -> list[AccessEntry]:
        """Newest last (a log), at most `limit` entries."""
        rows = self.conn.execute("SELECT id, at, recording_id, action, source, detail FROM recording_access "
                                 "ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [AccessEntry(int(r[0]), float(r[1]), r[2], AccessAction(r[3]), r[4], r[5]) for r in reversed(rows)]
