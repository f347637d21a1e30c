"""The call log in the encrypted database.

A call's id is its start time in milliseconds (plus one on a clash), so rowid order is time order:
"newest first" is ``ORDER BY id DESC``, and pages continue with ``before=<id of the last row seen>``,
so a lazy view never loads everything. Substring search by name or number:

1. walk the newest ``WALK_ROWS`` calls checking each row's search text (a frequent term fills the
   page here in a millisecond or two);
2. otherwise ask the trigram index (the AND of the term's trigrams; a 1- or 2-character term is the
   OR of the indexed trigrams that contain it) newest first, with instr() making each match exact.
   The index hands out rowids in descending order, so it stops after the page is full.
"""

from __future__ import annotations

import time
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from octasip.core.events import CallDirection
from octasip.core.history import CallRecord, CallStatus, HistoryFilter, normalise_term, search_text

_COLUMNS = (
    "id", "account_id", "direction", "remote_uri", "remote_name", "started_at", "answered_at", "ended_at",
    "duration", "status", "missed", "code", "reason", "transport", "codec", "srtp_suite", "jitter_ms", "loss_pct",
    "rtt_ms",
)  # fmt: skip
_SELECT = ", ".join(_COLUMNS)
WALK_ROWS = 5_000
MAX_VOCAB_TERMS = 400  # a short term expanding to more trigrams than this is scanned instead
HEARTBEAT_S = 5.0
BULK_PURGE_ROWS = 20_000

_FILTERS = {
    HistoryFilter.ALL: "1",
    HistoryFilter.MISSED: "missed = 1",
    HistoryFilter.INCOMING: "direction = 'incoming'",
    HistoryFilter.OUTGOING: "direction = 'outgoing'",
}
_INDEX_FOR = {HistoryFilter.MISSED: "calls_missed", HistoryFilter.INCOMING: "calls_direction",
              HistoryFilter.OUTGOING: "calls_direction"}


def time_id(started_at: float) -> int:
    """The id a call started at ``started_at`` (Unix seconds) gets, unless the millisecond is taken."""
    return max(1, int(started_at * 1000))


_PURGE = "id < ? AND ended_at IS NOT NULL"  # the finished calls started before a cutoff


def _purge_params(cutoff: float) -> tuple[int]:
    return (time_id(cutoff) if cutoff < 2**53 / 1000 else 2**62,)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _record(row: tuple[Any, ...]) -> CallRecord:
    (id_, account_id, direction, remote_uri, remote_name, started_at, answered_at, ended_at, duration, status,
     missed, code, reason, transport, codec, srtp_suite, jitter_ms, loss_pct, rtt_ms) = row  # fmt: skip
    return CallRecord(
        id=int(id_), account_id=account_id, direction=CallDirection(direction), remote_uri=remote_uri,
        remote_name=remote_name, started_at=started_at, answered_at=answered_at, ended_at=ended_at,
        duration=float(duration), status=CallStatus(status), missed=bool(missed), code=int(code), reason=reason,
        transport=transport, codec=codec, srtp_suite=srtp_suite, jitter_ms=jitter_ms, loss_pct=loss_pct,
        rtt_ms=rtt_ms,
    )  # fmt: skip


class CallLogRepository:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    # ------------------------------------------------------------------ writing
    def start(self, *, direction: CallDirection, remote_uri: str, remote_name: str = "", account_id: int | None,
              session: str, started_at: float | None = None) -> int:
        """Write the row of a call that has just begun (status active); returns its id."""
        now = time.time() if started_at is None else started_at
        row = (CallDirection(direction).value, remote_uri, remote_name, account_id, now, now, session,
               search_text(remote_uri, remote_name))
        sql = ("INSERT INTO calls (id, direction, remote_uri, remote_name, account_id, started_at, last_seen_at,"
               " status, session, search) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)")
        return self.insert_at(now, sql, row)

    def insert_at(self, started_at: float, sql: str, row: tuple) -> int:
        """Run ``sql`` (an INSERT whose first parameter is the id) with the time-ordered id of ``started_at``."""
        call_id = time_id(started_at)
        while True:
            try:
                self._conn.execute(sql, (call_id, *row))
                return call_id
            except sqlcipher.IntegrityError as e:
                if "UNIQUE" not in str(e) and "PRIMARY KEY" not in str(e):
                    raise
                call_id += 1  # another call started in the same millisecond

    def answered(self, call_id: int, at: float | None = None) -> None:
        at = time.time() if at is None else at
        self._conn.execute("UPDATE calls SET answered_at = coalesce(answered_at, ?), last_seen_at = ? WHERE id = ?",
                           (at, at, call_id))

    def heartbeat(self, call_id: int, at: float | None = None, **quality: float | None) -> None:
        """Remember that the call was still alive at ``at`` (its end, should the app die), with quality."""
        at = time.time() if at is None else at
        self._conn.execute(
            "UPDATE calls SET last_seen_at = ?, jitter_ms = coalesce(?, jitter_ms), loss_pct = coalesce(?, loss_pct),"
            " rtt_ms = coalesce(?, rtt_ms) WHERE id = ? AND ended_at IS NULL",
            (at, quality.get("jitter_ms"), quality.get("loss_pct"), quality.get("rtt_ms"), call_id))

    def finish(self, call_id: int, *, status: CallStatus, code: int, reason: str, duration: float,
               transport: str = "", codec: str = "", srtp_suite: str | None = None, jitter_ms: float | None = None,
               loss_pct: float | None = None, rtt_ms: float | None = None, remote_name: str | None = None,
               ended_at: float | None = None) -> None:
        ended_at = time.time() if ended_at is None else ended_at
        self._conn.execute(
            "UPDATE calls SET ended_at = ?, last_seen_at = ?, duration = ?, status = ?, missed = ?, code = ?,"
            " reason = ?, transport = ?, codec = ?, srtp_suite = ?, jitter_ms = ?, loss_pct = ?, rtt_ms = ?,"
            " session = NULL, remote_name = coalesce(?, remote_name) WHERE id = ?",
            (ended_at, ended_at, max(0.0, duration), CallStatus(status).value, int(status is CallStatus.MISSED),
             int(code), reason, transport, codec, srtp_suite, jitter_ms, loss_pct, rtt_ms, remote_name, call_id))
        if remote_name is not None:  # the name may arrive late: keep the search text in step
            text = self._search_of(call_id)
            self._conn.execute("UPDATE calls SET search = ? WHERE id = ? AND search != ?", (text, call_id, text))

    def _search_of(self, call_id: int) -> str:
        row = self._conn.execute("SELECT remote_uri, remote_name FROM calls WHERE id = ?", (call_id,)).fetchone()
        return search_text(row[0], row[1]) if row else ""

    def open_sessions(self) -> set[str]:
        """Sessions that have calls without an end."""
        rows = self._conn.execute("SELECT DISTINCT session FROM calls WHERE ended_at IS NULL").fetchall()
        return {r[0] or "" for r in rows}

    def mark_interrupted(self, sessions: set[str]) -> int:
        """Close the open calls of dead ``sessions`` as interrupted, ending them when last seen alive."""
        n = 0
        for s in sessions:
            cur = self._conn.execute(
                "UPDATE calls SET status = 'interrupted', ended_at = last_seen_at,"
                " duration = CASE WHEN answered_at IS NULL THEN 0 ELSE max(0, last_seen_at - answered_at) END,"
                " missed = 0, session = NULL WHERE ended_at IS NULL AND coalesce(session, '') = ?", (s,))
            n += cur.rowcount
        return n

    # ------------------------------------------------------------------ reading
    def get(self, call_id: int) -> CallRecord | None:
        row = self._conn.execute(f"SELECT {_SELECT} FROM calls WHERE id = ?", (call_id,)).fetchone()
        return _record(row) if row else None

    def count(self, filter: HistoryFilter = HistoryFilter.ALL) -> int:
        return int(self._conn.execute(f"SELECT count(*) FROM calls WHERE {_FILTERS[filter]}").fetchone()[0])

    def missed_since(self, since: float) -> int:
        return int(self._conn.execute("SELECT count(*) FROM calls WHERE missed = 1 AND id > ?",
                                      (time_id(since),)).fetchone()[0])

    def newest(self, limit: int = 100, filter: HistoryFilter = HistoryFilter.ALL,
               before: int | None = None) -> list[CallRecord]:
        """The newest calls (older than the call ``before``, to continue a list)."""
        where, params = self._where(filter, before)
        rows = self._conn.execute(
            f"SELECT {_SELECT} FROM calls {self._indexed(filter)} WHERE {where} ORDER BY id DESC LIMIT ?",
            (*params, int(limit))).fetchall()
        return [_record(r) for r in rows]

    def search(self, term: str, limit: int = 100, filter: HistoryFilter = HistoryFilter.ALL,
               before: int | None = None) -> list[CallRecord]:
        """The newest ``limit`` calls whose name, URI or number contains ``term`` (case-insensitive)."""
        needle = normalise_term(term)
        if not needle:
            return self.newest(limit, filter, before)
        where, params = self._where(filter, before)
        rows = self._conn.execute(
            f"SELECT {_SELECT} FROM (SELECT * FROM calls {self._indexed(filter)} WHERE {where} ORDER BY id DESC"
            " LIMIT ?) WHERE instr(search, ?) > 0 ORDER BY id DESC LIMIT ?",
            (*params, WALK_ROWS, needle, int(limit))).fetchall()
        if len(rows) < limit:
            match = self._match_expression(needle)
            if match == "":
                return []
            where = where.replace("id <", "calls.id <")
            if match is None:  # no usable trigrams: scan everything (still newest first)
                sql = f"SELECT {_SELECT} FROM calls WHERE {where} AND instr(search, ?) > 0 ORDER BY id DESC LIMIT ?"
                args: tuple = (*params, needle, int(limit))
            else:
                cols = ", ".join(f"calls.{c}" for c in _COLUMNS)
                sql = (f"SELECT {cols} FROM calls_fts JOIN calls ON calls.id = calls_fts.rowid"
                       f" WHERE calls_fts MATCH ? AND {where} AND instr(calls.search, ?) > 0"
                       " ORDER BY calls_fts.rowid DESC LIMIT ?")
                args = (match, *params, needle, int(limit))
            rows = self._conn.execute(sql, args).fetchall()
        return [_record(r) for r in rows]

    def _match_expression(self, needle: str) -> str | None:
        """The FTS5 query for ``needle``: "" if nothing can match, None if only a scan can tell."""
        if len(needle) >= 3:
            trigrams = dict.fromkeys(needle[i:i + 3] for i in range(len(needle) - 2))
            return " AND ".join(_quote(t) for t in trigrams)
        terms = [r[0] for r in self._conn.execute(
            "SELECT trigram FROM calls_trigrams WHERE instr(trigram, ?) > 0 LIMIT ?", (needle, MAX_VOCAB_TERMS + 1))]
        if len(terms) > MAX_VOCAB_TERMS:
            return None
        return " OR ".join(_quote(t) for t in terms)

    @staticmethod
    def _indexed(filter: HistoryFilter) -> str:
        index = _INDEX_FOR.get(filter)
        return f"INDEXED BY {index}" if index else ""

    @staticmethod
    def _where(filter: HistoryFilter, before: int | None) -> tuple[str, tuple]:
        where = _FILTERS[HistoryFilter(filter)]
        if before is None:
            return where, ()
        return f"{where} AND id < ?", (int(before),)

    # ------------------------------------------------------------------ deleting
    def delete(self, call_id: int) -> bool:
        return self._conn.execute("DELETE FROM calls WHERE id = ?", (call_id,)).rowcount > 0

    def clear(self) -> int:
        """Delete every finished call (calls in progress keep their row until they end)."""
        return self._conn.execute("DELETE FROM calls WHERE ended_at IS NOT NULL").rowcount

    def purge_before(self, cutoff: float) -> int:
        """Delete the finished calls that started before ``cutoff`` (retention). Run inside a transaction.

        Row by row, each delete also updates four indexes and the trigram index (about 10 us a row).
        When most of a big table goes, copying the rows that stay into a fresh table and rebuilding
        its indexes is several times faster.
        """
        params = _purge_params(cutoff)
        doomed = self.count_before(cutoff)
        if doomed >= BULK_PURGE_ROWS and doomed * 2 >= self.count():
            self._rebuild_keeping("SELECT * FROM calls WHERE id >= ?1 UNION ALL"
                                  " SELECT * FROM calls WHERE id < ?1 AND ended_at IS NULL", params)
            return doomed
        return self._conn.execute(f"DELETE FROM calls WHERE {_PURGE}", params).rowcount

    def count_before(self, cutoff: float) -> int:
        """How many calls ``purge_before(cutoff)`` would delete."""
        row = self._conn.execute(f"SELECT count(*) FROM calls WHERE {_PURGE}", _purge_params(cutoff)).fetchone()
        return int(row[0])

    def _rebuild_keeping(self, keep: str, params: tuple) -> None:
        schema = self._conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'calls' AND sql IS NOT NULL").fetchall()
        table_sql = next(sql for kind, _name, sql in schema if kind == "table")
        others = [sql for kind, _name, sql in schema if kind in ("index", "trigger")]
        self._conn.execute(table_sql.replace("CREATE TABLE calls", "CREATE TABLE calls_keep", 1))
        self._conn.execute(f"INSERT INTO calls_keep {keep}", params)
        self._conn.execute("DROP TABLE calls")  # and its indexes and triggers
        self._conn.execute("ALTER TABLE calls_keep RENAME TO calls")
        for sql in others:
            self._conn.execute(sql)
        self._conn.execute("INSERT INTO calls_fts (calls_fts) VALUES ('rebuild')")
