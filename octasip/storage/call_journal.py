"""Writes the call log from engine events, crash-safe.

A call's row is written as soon as the call exists (status ``active``), stamped with a heartbeat while
it lasts, and completed when it ends. If the process dies, the row stays open under this process's
session id; the next start (``recover_interrupted``) closes it as ``interrupted``, ending it at the
last heartbeat. Incognito calls, and every call while retention is "don't keep call history", get
no row at all.

The journal runs on the thread that owns ``conn``. A failed write (a full disk, say) never stops the
call: the error goes to ``on_error`` with a message that is safe to show.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from octasip.core.events import (
    CallChanged,
    CallDirection,
    CallEnded,
    CallQualityUpdated,
    CallState,
    Event,
    IncomingCall,
)
from octasip.core.history import final_status
from octasip.storage.calls import HEARTBEAT_S, CallLogRepository
from octasip.storage.errors import is_disk_full
from octasip.storage.session_lock import dead_sessions

DAY_S = 86400.0


class CallJournal:
    def __init__(self, conn: Any, session: str, keep_history: bool = True,
                 on_error: Callable[[str], None] | None = None, clock: Callable[[], float] = time.time,
                 daily: Callable[[], object] | None = None) -> None:
        self.calls = CallLogRepository(conn)
        self.session = session
        self.keep_history = keep_history
        self._on_error = on_error
        self._clock = clock
        self._rows: dict[int, int] = {}  # engine call id -> row id
        self._incognito: set[int] = set()
        self._beat: dict[int, float] = {}
        self._daily = daily  # housekeeping (the retention purge), run at most once a day, between calls
        self._daily_at = clock()

    def incognito(self, call_id: int) -> None:
        """Leave no history entry for this call (call before it starts, or at any time during it)."""
        self._incognito.add(call_id)
        row = self._rows.pop(call_id, None)
        if row is not None:
            self._write(self.calls.delete, row)

    def row_of(self, call_id: int) -> int | None:
        return self._rows.get(call_id)

    def handle(self, ev: Event) -> None:
        if isinstance(ev, IncomingCall):
            self._ensure(ev.call_id, CallDirection.INCOMING, ev.remote_uri, ev.remote_name, ev.account_id)
        elif isinstance(ev, CallChanged):
            row = self._ensure(ev.call_id, ev.direction, ev.remote_uri, ev.remote_name, ev.account_id)
            if row is not None and ev.state is CallState.CONFIRMED:
                self._write(self.calls.answered, row, self._clock())
                self._beat[ev.call_id] = self._clock()
        elif isinstance(ev, CallQualityUpdated):
            row = self._rows.get(ev.call_id)
            now = self._clock()
            if row is not None and now - self._beat.get(ev.call_id, 0.0) >= HEARTBEAT_S:
                q = ev.quality
                self._write(self.calls.heartbeat, row, now, jitter_ms=q.jitter_ms, loss_pct=q.loss_pct,
                            rtt_ms=q.rtt_ms)
                self._beat[ev.call_id] = now
        elif isinstance(ev, CallEnded):
            self._end(ev)
            if self._daily is not None and not self._rows and self._clock() - self._daily_at >= DAY_S:
                self._daily_at = self._clock()
                self._write(self._daily)

    def tick(self) -> None:
        """Heartbeat every open call that is due (for loops that get no quality events)."""
        now = self._clock()
        for call_id, row in list(self._rows.items()):
            if now - self._beat.get(call_id, 0.0) >= HEARTBEAT_S:
                self._write(self.calls.heartbeat, row, now)
                self._beat[call_id] = now

    def _ensure(self, call_id: int, direction: CallDirection, uri: str, name: str, account_id: int | None
                ) -> int | None:
        row = self._rows.get(call_id)
        if row is not None or call_id in self._incognito or not self.keep_history:
            return row
        row = self._write(self.calls.start, direction=direction, remote_uri=uri, remote_name=name,
                          account_id=account_id, session=self.session, started_at=self._clock())
        if row is not None:
            self._rows[call_id] = row
            self._beat[call_id] = self._clock()
        return row

    def _end(self, ev: CallEnded) -> None:
        row = self._ensure(ev.call_id, ev.direction, ev.remote_uri, ev.remote_name, ev.account_id)
        self._rows.pop(ev.call_id, None)
        self._beat.pop(ev.call_id, None)
        self._incognito.discard(ev.call_id)
        if row is None:
            return
        q = ev.quality
        self._write(self.calls.finish, row, status=final_status(ev.direction, ev.answered, ev.code), code=ev.code,
                    reason=ev.reason, duration=ev.duration if ev.answered else 0.0, transport=ev.transport,
                    codec=ev.media.codec if ev.answered else "", srtp_suite=ev.media.srtp_suite if ev.answered
                    else None, jitter_ms=q.jitter_ms, loss_pct=q.loss_pct, rtt_ms=q.rtt_ms,
                    remote_name=ev.remote_name or None, ended_at=self._clock())

    def _write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as e:  # the database failing must never take the call down
            if self._on_error is not None:
                self._on_error(_describe(e))
            return None


def _describe(e: Exception) -> str:
    """SQLite's messages name no data, only what went wrong. A full disk says what it cost: this call."""
    if is_disk_full(e):
        return ("the disk is full, so this call could not be saved to the call history. Free some space; "
                "the history saved before is intact.")
    return f"this call could not be saved to the call history ({type(e).__name__}: {e})"


def recover_interrupted(conn: Any, data_dir: Path) -> int:
    """Close, as interrupted, the open calls of processes that are no longer running."""
    calls = CallLogRepository(conn)
    sessions = calls.open_sessions()
    if not sessions:
        return 0
    return calls.mark_interrupted(dead_sessions(data_dir, sessions))
