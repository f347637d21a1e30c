"""What is wrong with the encrypted database, and what to do about it, only when the user chooses it.

- ``diagnose``: reads, never changes anything (no migration, no new key, no new file).
- ``keep_aside``: move the database (and its -wal/-shm) to ``octasip.db.aside-<time>`` in the data
  directory, and its key, if the keyring still has it, to ``key:database-aside-<time>``: the kept file
  stays readable later. The next start creates a new, empty, encrypted database with a new key.
- ``start_fresh``: delete the key (crypto-shredding: any copy of the file becomes unreadable), then the
  database files. The next start creates a new, empty, encrypted database with a new key.

Neither runs by itself: only ``octasip database keep-aside|start-fresh`` or the buttons of the window's
dialog call them, and both refuse while an OctaSIP process is using the profile. Recordings
(``<data>/recordings``), SIP logs (``<data>/logs``) and exports are left alone by both: they are not part
of the database (recordings have keys of their own). To remove everything, use ``octasip wipe``.
No Qt here.
"""

from __future__ import annotations

import enum
import os
import shutil
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octasip import paths
from octasip.secrets import SecretStore, SecretStoreError
from octasip.storage.errors import CHOICE_HELP, KEEP_ASIDE, START_FRESH, DatabaseError

DB_KEY = "database"
SUFFIXES = ("", "-wal", "-shm")
LOW_SPACE_BYTES = 1 << 20  # below this much free space, "disk full" is the likely cause of trouble
_CHOICES = (KEEP_ASIDE, START_FRESH)


class Status(enum.Enum):
    NONE = "no database yet"  # the next start creates one
    OK = "ok"
    KEY_MISSING = "key missing from the keyring"
    UNREADABLE = "unreadable (wrong key, or the file's start is damaged or not an OctaSIP database)"
    DAMAGED = "damaged (some pages fail SQLCipher's check)"
    NEWER_SCHEMA = "written by a newer OctaSIP"
    NOT_A_FILE = "not a regular file"
    DISK_FULL = "the disk is full"
    KEYRING_UNAVAILABLE = "keyring unavailable (locked or not running)"
    ERROR = "cannot be opened"


@dataclass
class Diagnosis:
    status: Status
    message: str  # safe to show: names files, never a key
    choices: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in (Status.OK, Status.NONE)


@dataclass
class RecoveryResult:
    done: str  # what happened, safe to show
    kept: Path | None = None
    key_kept_as: str | None = None  # keyring entry name (without "key:"), never the key
    removed: list[str] = field(default_factory=list)


class RecoveryError(DatabaseError):
    """keep-aside / start-fresh could not be done; the message says what, if anything, changed."""


def aside_files(data_dir: Path) -> list[Path]:
    db = paths.db_path(data_dir)
    return [p for p in sorted(Path(data_dir).glob(db.name + ".aside-*")) if not p.name.endswith(("-wal", "-shm"))]


def diagnose(data_dir: Path, secrets: SecretStore) -> Diagnosis:
    """What is wrong with the database in ``data_dir``, if anything. Changes nothing."""
    data_dir = Path(data_dir)
    db = paths.db_path(data_dir)
    details: dict[str, Any] = {"database": str(db), "exists": False, "key_in_keyring": None,
                               "aside": [p.name for p in aside_files(data_dir)] if data_dir.is_dir() else []}
    try:
        details["free_bytes"] = shutil.disk_usage(data_dir if data_dir.is_dir() else data_dir.parent).free
    except OSError:
        details["free_bytes"] = None
    low_space = details["free_bytes"] is not None and details["free_bytes"] < LOW_SPACE_BYTES

    def result(status: Status, message: str, choices: tuple[str, ...] = ()) -> Diagnosis:
        return Diagnosis(status, message, choices, details)

    try:
        mode = os.lstat(db).st_mode
    except FileNotFoundError:
        if low_space:
            return result(Status.DISK_FULL, f"the disk holding {data_dir} is full: free some space before the "
                                            "database is created")
        return result(Status.NONE, f"{db} does not exist yet: the next start creates it, encrypted")
    except OSError as e:
        return result(Status.ERROR, f"cannot look at {db}: {e.strerror}")
    details["exists"] = True
    if not stat.S_ISREG(mode):
        return result(Status.NOT_A_FILE, f"{db} is not a regular file: move it away yourself; OctaSIP will "
                                         "not touch it")
    try:
        secrets.check()
        key = secrets.get_key(DB_KEY)
    except SecretStoreError as e:
        return result(Status.KEYRING_UNAVAILABLE, str(e))
    details["key_in_keyring"] = key is not None
    if key is None:
        return result(Status.KEY_MISSING, f"{db} exists, but its key (entry 'key:{DB_KEY}') is not in the "
                                          "keyring." + CHOICE_HELP, _CHOICES)
    status, message = _probe(db, key)
    if status is Status.OK and low_space:
        return result(Status.DISK_FULL, f"the disk holding {data_dir} is full ({details['free_bytes']} bytes "
                                        "free): new calls cannot be saved. Free some space; nothing saved was lost.")
    choices = _CHOICES if status in (Status.UNREADABLE, Status.DAMAGED) else ()
    return result(status, message, choices)


def _probe(db: Path, key: bytes) -> tuple[Status, str]:
    """Open read-only, check the key, the schema version and every page's HMAC."""
    import sqlcipher3.dbapi2 as sqlcipher

    from octasip.storage import db as dbmod
    from octasip.storage import migrations
    from octasip.storage.errors import DatabaseUnreadableError

    try:
        conn = sqlcipher.connect(db.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    except sqlcipher.Error as e:
        return Status.ERROR, f"cannot open {db}: {e}"
    try:
        dbmod._unlock(conn, db, key)
        version = migrations.schema_version(conn)
        if version > len(migrations.MIGRATIONS):
            return Status.NEWER_SCHEMA, (f"{db} has schema version {version}; this OctaSIP knows up to "
                                         f"{len(migrations.MIGRATIONS)}. Update OctaSIP to open it.")
        bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if bad:
            return Status.DAMAGED, (f"{db} is damaged: {len(bad)} problem(s) found by SQLCipher's page check "
                                    f"(first: {bad[0][0]})." + CHOICE_HELP)
        return Status.OK, f"{db} opens with its key from the keyring and passes SQLCipher's page check"
    except DatabaseUnreadableError as e:
        return Status.UNREADABLE, str(e)
    except DatabaseError as e:
        return Status.ERROR, str(e)
    except sqlcipher.Error as e:
        return Status.DAMAGED, f"{db} is damaged ({e})." + CHOICE_HELP
    finally:
        conn.close()


def status(data_dir: Path, secrets: SecretStore) -> dict:
    """``diagnose`` as a JSON-friendly summary."""
    d = diagnose(data_dir, secrets)
    return {**d.details, "status": d.status.name.lower(), "opens": d.status in (Status.OK, Status.DISK_FULL)
            if d.details.get("exists") else None, "problem": "" if d.ok else d.status.value,
            "message": d.message, "choices": list(d.choices)}


def running_sessions(data_dir: Path) -> int:
    """How many OctaSIP processes hold a session lock on this profile (changes nothing)."""
    from octasip.storage.session_lock import RUN_DIR, _try_lock

    count = 0
    for lock in sorted((Path(data_dir) / RUN_DIR).glob("*.lock")):
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            continue
        try:
            if not _try_lock(fd):
                count += 1
        finally:
            os.close(fd)  # closing the descriptor drops a lock we took
    return count


def _refuse_while_running(data_dir: Path, what: str) -> None:
    n = running_sessions(data_dir)
    if n:
        raise RecoveryError(f"OctaSIP is running with this profile ({n} process(es)): quit it first. "
                            f"Nothing was {what}.")


def keep_aside(data_dir: Path, secrets: SecretStore) -> RecoveryResult:
    """Move the database files and their key aside, inside ``data_dir`` and the same keyring."""
    data_dir = Path(data_dir)
    db = paths.db_path(data_dir)
    if not db.exists():
        return RecoveryResult("there was no database to move aside; nothing was changed")
    if not db.is_file() or db.is_symlink():
        raise RecoveryError(f"{db} is not a regular file: move it away yourself; nothing was moved")
    _refuse_while_running(data_dir, "moved")
    secrets.check()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target, n = db.with_name(f"{db.name}.aside-{stamp}"), 1
    while any(target.with_name(target.name + s).exists() for s in SUFFIXES):
        n += 1
        target = db.with_name(f"{db.name}.aside-{stamp}-{n}")
    suffix = target.name.split(".aside-", 1)[1]
    key = secrets.get_key(DB_KEY)
    key_name = f"{DB_KEY}-aside-{suffix}" if key is not None else None
    if key_name is not None:
        secrets.set_key(key_name, key)  # a copy first: checked, so nothing is lost if it fails
    moved: list[tuple[Path, Path]] = []
    try:
        for s in SUFFIXES:
            src = db.with_name(db.name + s)
            if src.exists():
                dst = target.with_name(target.name + s)
                src.rename(dst)  # same directory: atomic, never a copy
                moved.append((src, dst))
    except OSError as e:
        for src, dst in reversed(moved):
            dst.rename(src)
        if key_name is not None:
            secrets.delete_key(key_name)
        raise RecoveryError(f"could not move {db.name} aside ({e.strerror}); everything was put back as it "
                            "was") from None
    if key_name is not None:
        secrets.delete_key(DB_KEY)  # only now: the next start makes a new key for a new database
    kept_key = (f" and its key to the keyring entry 'key:{key_name}'" if key_name is not None
                else " (its key was not in the keyring)")
    return RecoveryResult(f"moved the database to {target} ({len(moved)} file(s)){kept_key}; the next start "
                          "begins with an empty, encrypted profile", target, key_name)


def start_fresh(data_dir: Path, secrets: SecretStore) -> RecoveryResult:
    """Delete the database key, then the database files. Recordings and logs are not touched."""
    data_dir = Path(data_dir)
    db = paths.db_path(data_dir)
    _refuse_while_running(data_dir, "deleted")
    secrets.check()
    had_key = secrets.delete_key(DB_KEY)  # first: any copy of the file becomes unreadable
    removed: list[str] = []
    try:
        for s in SUFFIXES:
            p = db.with_name(db.name + s)
            if p.exists():
                p.unlink()
                removed.append(p.name)
    except OSError as e:
        raise RecoveryError(f"deleted the database key{'' if had_key else ' (there was none)'}, so the file can "
                            f"no longer be read, but could not delete {db} ({e.strerror}); delete it yourself "
                            "or run start-fresh again") from None
    key_text = "its key" if had_key else "no key (there was none)"
    what = f"deleted the database ({', '.join(removed)})" if removed else "there was no database file"
    return RecoveryResult(f"{what} and {key_text}; recordings and logs were not touched; the next start begins "
                          "with an empty, encrypted profile", removed=removed)
