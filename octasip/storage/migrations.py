"""Versioned schema migrations, tracked in ``PRAGMA user_version``.

``MIGRATIONS[i]`` takes the schema from version ``i`` to ``i + 1``. Each step runs in its own
``BEGIN IMMEDIATE`` transaction together with the ``user_version`` bump, so a crash leaves the
database at a whole version. Append new steps at the end (call log, contacts, consent ledger, ...);
never edit or reorder a step that has been released.

A step is a sequence of SQL statements, or a callable ``step(conn)`` for data migrations that need
Python. Steps must not COMMIT or ROLLBACK themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from octasip.storage.errors import DatabaseError


@dataclass(frozen=True)
class Migration:
    description: str
    steps: Sequence[str] | Callable[[Any], None]


MIGRATIONS: list[Migration] = [
    # v1: accounts and settings.
    Migration(
        "accounts and settings",
        (
            # AUTOINCREMENT: an id is never reused, so a stale keyring entry `sip-password:<id>` can
            # never attach itself to a later account.
            """
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                uri TEXT NOT NULL,
                display_name TEXT NOT NULL DEFAULT '',
                registrar TEXT NOT NULL DEFAULT '',
                username TEXT NOT NULL DEFAULT '',
                transport TEXT NOT NULL,
                outbound_proxy TEXT NOT NULL DEFAULT '',
                expiry INTEGER NOT NULL,
                ca_file TEXT NOT NULL DEFAULT '',
                srtp TEXT,                                   -- NULL: the transport's default policy
                allow_direct_calls INTEGER NOT NULL CHECK (allow_direct_calls IN (0, 1)),
                dtmf_mode TEXT NOT NULL,
                enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )
            """,
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL                          -- JSON
            )
            """,
        ),
    ),
    # v2: the call log (with its trigram search index), contacts and the consent ledger.
    # Times are Unix seconds (UTC) as REAL. A call's id is its start time in milliseconds (bumped by
    # one on a clash), so the table itself is in time order: "newest first" is a backward scan, and
    # the trigram index can hand out matches newest first (ORDER BY rowid DESC) and stop early.
    Migration(
        "call log, contacts and consent ledger",
        (
            """
            CREATE TABLE calls (
                id INTEGER PRIMARY KEY,                      -- start time in ms: the table's order
                account_id INTEGER,                          -- no FK: history outlives a removed account
                direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
                remote_uri TEXT NOT NULL,
                remote_name TEXT NOT NULL DEFAULT '',
                started_at REAL NOT NULL,
                answered_at REAL,
                ended_at REAL,                               -- NULL while the call is in progress
                last_seen_at REAL NOT NULL,                  -- heartbeat: the end of an interrupted call
                duration REAL NOT NULL DEFAULT 0,            -- seconds talking (from answer to end)
                status TEXT NOT NULL CHECK (status IN
                    ('active', 'answered', 'missed', 'declined', 'failed', 'cancelled', 'interrupted')),
                missed INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0, 1)),
                code INTEGER NOT NULL DEFAULT 0,             -- final SIP status code
                reason TEXT NOT NULL DEFAULT '',
                transport TEXT NOT NULL DEFAULT '',
                codec TEXT NOT NULL DEFAULT '',
                srtp_suite TEXT,                             -- NULL: media not encrypted
                jitter_ms REAL,
                loss_pct REAL,
                rtt_ms REAL,
                session TEXT,                                -- the writing process while the call runs
                search TEXT NOT NULL DEFAULT ''              -- normalised name, URI and digits
            )
            """,
            "CREATE INDEX calls_missed ON calls (missed) WHERE missed = 1",  # (missed, id): newest missed first
            "CREATE INDEX calls_direction ON calls (direction)",  # (direction, id)
            "CREATE INDEX calls_open ON calls (session) WHERE ended_at IS NULL",
            # Substring search: an external-content trigram index over `search`. detail=none keeps only
            # rowids (a third of the size); a term is asked as the AND of its trigrams, and instr() on
            # the row makes the match exact.
            """
            CREATE VIRTUAL TABLE calls_fts USING fts5 (
                search, content = 'calls', content_rowid = 'id', tokenize = 'trigram', detail = 'none'
            )
            """,
            """
            CREATE TRIGGER calls_fts_insert AFTER INSERT ON calls BEGIN
                INSERT INTO calls_fts (rowid, search) VALUES (new.id, new.search);
            END
            """,
            """
            CREATE TRIGGER calls_fts_delete AFTER DELETE ON calls BEGIN
                INSERT INTO calls_fts (calls_fts, rowid, search) VALUES ('delete', old.id, old.search);
            END
            """,
            """
            CREATE TRIGGER calls_fts_update AFTER UPDATE OF search ON calls BEGIN
                INSERT INTO calls_fts (calls_fts, rowid, search) VALUES ('delete', old.id, old.search);
                INSERT INTO calls_fts (rowid, search) VALUES (new.id, new.search);
            END
            """,
            # Every trigram ever indexed (never shrinks; a superset is fine): lets a 1- or 2-character
            # term be looked up as the trigrams that contain it. fts5vocab would read every doclist.
            "CREATE TABLE calls_trigrams (trigram TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID",
            """
            CREATE TRIGGER calls_trigrams_insert AFTER INSERT ON calls BEGIN
                INSERT OR IGNORE INTO calls_trigrams (trigram)
                WITH RECURSIVE i (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < length(new.search) - 2)
                SELECT substr(new.search, n, 3) FROM i WHERE length(new.search) >= 3;
            END
            """,
            """
            CREATE TRIGGER calls_trigrams_update AFTER UPDATE OF search ON calls BEGIN
                INSERT OR IGNORE INTO calls_trigrams (trigram)
                WITH RECURSIVE i (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < length(new.search) - 2)
                SELECT substr(new.search, n, 3) FROM i WHERE length(new.search) >= 3;
            END
            """,
            """
            CREATE TABLE contacts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                organization TEXT NOT NULL DEFAULT '',
                note TEXT NOT NULL DEFAULT '',
                favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
                uid TEXT NOT NULL DEFAULT '',                -- the vCard UID, to match re-imports
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )
            """,
            "CREATE INDEX contacts_name ON contacts (name COLLATE NOCASE)",
            """
            CREATE TABLE contact_addresses (
                id INTEGER PRIMARY KEY,
                contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('phone', 'sip', 'email')),
                label TEXT NOT NULL DEFAULT '',              -- work, home, mobile, ...
                value TEXT NOT NULL,
                search TEXT NOT NULL DEFAULT '',             -- normalised value (digits for numbers)
                position INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX contact_addresses_contact ON contact_addresses (contact_id, position)",
            "CREATE INDEX contact_addresses_search ON contact_addresses (search)",
            # Every grant or revocation of a permission, and every change of the recording opt-in.
            """
            CREATE TABLE consent (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                permission TEXT NOT NULL,                    -- microphone, contacts, storage, recording, ...
                granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
                source TEXT NOT NULL DEFAULT '',             -- gui, cli, ...
                detail TEXT NOT NULL DEFAULT ''              -- e.g. the notice version accepted
            )
            """,
            "CREATE INDEX consent_permission ON consent (permission, id)",
        ),
    ),
    # v3: call recordings (opt-in) and their access log.
    Migration(
        "call recordings and their access log",
        (
            # The audio lives in <data dir>/recordings/<id>.octarec, encrypted; this row says whose call it
            # was (through the history row, which may be purged first: then the recording stands alone).
            """
            CREATE TABLE recordings (
                id TEXT PRIMARY KEY NOT NULL,                -- random, also the file name
                call_row INTEGER REFERENCES calls (id) ON DELETE SET NULL,
                started_at REAL NOT NULL,
                ended_at REAL,
                seconds REAL NOT NULL DEFAULT 0,
                channels INTEGER NOT NULL,
                rate INTEGER NOT NULL,
                state TEXT NOT NULL,                         -- recording, complete, truncated, failed
                error TEXT NOT NULL DEFAULT '',
                session TEXT                                 -- the writing process (crash recovery), as calls
            )
            """,
            "CREATE INDEX recordings_started ON recordings (started_at)",
            "CREATE INDEX recordings_call ON recordings (call_row) WHERE call_row IS NOT NULL",
            # Every play, export and delete (and retention purge), kept after the recording is gone.
            """
            CREATE TABLE recording_access (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                recording_id TEXT NOT NULL,
                action TEXT NOT NULL,                        -- play, export, delete, purge
                source TEXT NOT NULL DEFAULT '',             -- gui, cli, retention
                detail TEXT NOT NULL DEFAULT ''              -- e.g. the export format; never a path
            )
            """,
        ),
    ),
]

LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_not_newer(conn: Any, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Return the schema version; raise DatabaseError if this code is too old for it."""
    version = schema_version(conn)
    if version > len(migrations):
        raise DatabaseError(
            f"the database has schema version {version}, but this OctaSIP only knows versions up to "
            f"{len(migrations)}: it was written by a newer OctaSIP. Update OctaSIP to open it; "
            "the file was left untouched."
        )
    return version


def migrate(conn: Any, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the schema up to date; return the final version.

    ``conn`` must be in autocommit mode (``isolation_level=None``). The version is re-read inside each
    transaction, so two processes opening the same database at once do not apply a step twice.
    """
    while True:
        version: int | None = None
        try:
            conn.execute("BEGIN IMMEDIATE")
            version = check_not_newer(conn, migrations)
            if version == len(migrations):
                conn.execute("COMMIT")
                return version
            step = migrations[version]
            if callable(step.steps):
                step.steps(conn)
            else:
                for sql in step.steps:
                    conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {version + 1:d}")
            conn.execute("COMMIT")
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, DatabaseError) or not isinstance(e, Exception):
                raise
            if version is None:
                raise DatabaseError(f"could not read the database schema version: {type(e).__name__}: {e}") from e
            raise DatabaseError(
                f"database migration to schema version {version + 1} ({migrations[version].description}) "
                f"failed: {type(e).__name__}: {e}. The database was left at version {version}."
            ) from e
