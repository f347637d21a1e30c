"""What to do with a database that cannot be opened, only when the user chooses it.

- ``keep_aside``: move the database (and its -wal/-shm) to ``octasip.db.aside-<time>`` in the data
  directory, and its key, if the keyring still has it, to ``key:database-aside-<time>``: the kept file
  stays readable later. The next start creates a new, empty, encrypted database with a new key.
- ``start_fresh``: delete the database files and their key (crypto-shredding), then the same.

Recordings (``<data>/recordings``) and logs are left alone by both. No Qt here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from octasip import paths
from octasip.secrets import SecretStore

DB_KEY = "database"
SUFFIXES = ("", "-wal", "-shm")


@dataclass
class RecoveryResult:
    done: str  # what happened, safe to show
    kept: Path | None = None


def status(data_dir: Path, secrets: SecretStore) -> dict:
    """A safe summary: does the file exist, is its key there, does it open."""
    from octasip.storage.db import open_database
    from octasip.storage.errors import DatabaseError

    db = paths.db_path(data_dir)
    out: dict = {"database": str(db), "exists": db.exists(), "key_in_keyring": None, "opens": None, "problem": ""}
    if not db.exists():
        return out
    key = secrets.get_key(DB_KEY)
    out["key_in_keyring"] = key is not None
    if key is None:
        out["problem"] = "key missing from the keyring"
        return out
    try:
        open_database(db, key).close()
        out["opens"] = True
    except DatabaseError as e:
        out["opens"] = False
        out["problem"] = type(e).__name__
    out["aside"] = [p.name for p in sorted(Path(data_dir).glob(db.name + ".aside-*")) if not p.name.endswith(
        ("-wal", "-shm"))]
    return out


def keep_aside(data_dir: Path, secrets: SecretStore) -> RecoveryResult:
    db = paths.db_path(data_dir)
    if not db.exists():
        return RecoveryResult("there was no database to move aside")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target, n = db.with_name(f"{db.name}.aside-{stamp}"), 1
    while target.exists():
        n += 1
        target = db.with_name(f"{db.name}.aside-{stamp}-{n}")
    key = secrets.get_key(DB_KEY)
    if key is not None:  # first the key, so that a failure leaves everything as it was
        name = f"{DB_KEY}-aside-{target.name.split('.aside-', 1)[1]}"
        secrets.set_key(name, key)
        secrets.delete_key(DB_KEY)
    for suffix in SUFFIXES:
        src = db.with_name(db.name + suffix)
        if src.exists():
            src.rename(target.with_name(target.name + suffix))
    kept_key = " and its key (kept in the keyring)" if key is not None else " (its key was not in the keyring)"
    return RecoveryResult(f"moved the database to {target.name}{kept_key}; the next start begins with an "
                          "empty, encrypted profile", target)


def start_fresh(data_dir: Path, secrets: SecretStore) -> RecoveryResult:
    db = paths.db_path(data_dir)
    secrets.delete_key(DB_KEY)  # first: a copy anywhere becomes unreadable
    removed = 0
    for suffix in SUFFIXES:
        p = db.with_name(db.name + suffix)
        if p.exists():
            p.unlink()
            removed += 1
    return RecoveryResult(f"deleted the database ({removed} files) and its key; the next start begins with an "
                          "empty, encrypted profile")
