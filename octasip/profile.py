"""The user's local profile: data directory, keyring and encrypted database, opened together.

Used by the CLI and the app:

    with Profile.open() as profile:
        profile.accounts.list()

No Qt here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from octasip import paths
from octasip.privacy import retention
from octasip.secrets import SecretStore
from octasip.storage.accounts import AccountRepository
from octasip.storage.call_journal import CallJournal, recover_interrupted
from octasip.storage.calls import CallLogRepository
from octasip.storage.consent import ConsentLedger
from octasip.storage.contacts import ContactRepository
from octasip.storage.db import open_database
from octasip.storage.errors import CHOICE_HELP, DatabaseError, DatabaseKeyMissingError
from octasip.storage.session_lock import SessionLock
from octasip.storage.settings import SettingsRepository

log = logging.getLogger("octasip.profile")

DB_KEY_NAME = "database"


class Profile:
    def __init__(self, data_dir: Path, secrets: SecretStore, conn: Any) -> None:
        self.data_dir = data_dir
        self.secrets = secrets
        self.conn = conn
        self.accounts = AccountRepository(conn)
        self.settings = SettingsRepository(conn)
        self.calls = CallLogRepository(conn)
        self.consent = ConsentLedger(conn)
        self.contacts = ContactRepository(conn)

    @classmethod
    def open(cls, data_dir: Path | None = None, secrets: SecretStore | None = None) -> Profile:
        """Open the profile in ``data_dir`` (default: ``paths.data_dir()``).

        Refuses an insecure keyring (InsecureKeyringError). If the database exists but its key is not in
        the keyring, raises DatabaseKeyMissingError and leaves the file untouched: a new key is only
        ever made for a new database.
        """
        if data_dir is None:
            data_dir = paths.data_dir()
        else:
            data_dir = Path(data_dir)
            if not data_dir.is_dir():
                data_dir.mkdir(mode=0o700, parents=True)
        store = secrets if secrets is not None else SecretStore()
        store.check()
        db_file = paths.db_path(data_dir)
        if db_file.exists() and not db_file.is_file():
            raise DatabaseError(f"the database path {db_file} is not a regular file: move it away yourself; "
                                "OctaSIP left it untouched")
        if db_file.exists():
            key = store.get_key(DB_KEY_NAME)
            if key is None:
                raise DatabaseKeyMissingError(
                    f"the database {db_file} exists, but its key is not in the keyring "
                    f"({store.backend_name}, service 'OctaSIP', entry 'key:{DB_KEY_NAME}'). Without that key "
                    "it cannot be read, so the file was left untouched. If the key is in another keyring or "
                    "session, unlock or restore that keyring and try again." + CHOICE_HELP
                )
        else:
            key = store.get_or_create_key(DB_KEY_NAME)
        conn = open_database(db_file, key)
        try:
            # Housekeeping at every start: close the calls of processes that died, apply retention.
            recover_interrupted(conn, data_dir)
            retention.purge(conn)
        except Exception as e:  # e.g. a full disk: reading must still work; the next start retries
            log.warning("start-up housekeeping of the call history failed: %s", type(e).__name__)
        try:  # recordings past their own retention (never one in progress; no recovery here: another
            # process may be recording right now)
            from octasip.privacy.recordings import RecordingLibrary

            RecordingLibrary(data_dir, conn, store, "retention").purge()
        except Exception as e:
            log.warning("start-up purge of old recordings failed: %s", type(e).__name__)
        return cls(data_dir, store, conn)

    @contextlib.contextmanager
    def journal(self, on_error: Callable[[str], None] | None = None) -> Iterator[CallJournal]:
        """A call-log writer for this process, marked alive (for crash recovery) while in use."""
        with SessionLock(self.data_dir) as lock:
            yield CallJournal(self.conn, lock.id, retention.keeps_history(self.settings), on_error,
                              daily=self._daily_purge)

    def _daily_purge(self) -> None:
        """History and recordings past their retention (run at most daily, between calls)."""
        from octasip.privacy.recordings import RecordingLibrary

        retention.purge(self.conn)
        RecordingLibrary(self.data_dir, self.conn, self.secrets, "retention").purge()

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.close()

    def __enter__(self) -> Profile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
