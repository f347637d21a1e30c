"""Bad input for the encrypted database: a damaged file, a key missing from the keyring, a wrong key and
a full disk each give a clear error and a choice (keep aside / start fresh), and nothing is changed until
the user chooses. Real Secret Service; the full disk is a real, tiny tmpfs (we run as root in CI).
Wipe with a locked keyring: tests/test_wipe_locked.py."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from octasip import paths
from octasip.core.events import CallDirection
from octasip.profile import Profile
from octasip.secrets import SecretStore
from octasip.storage import recovery
from octasip.storage.errors import (
    DatabaseKeyMissingError,
    DatabaseUnreadableError,
    DiskFullError,
)
from tests.test_cli_real import assert_one_clean_line, octasip

pytestmark = pytest.mark.real

SQLITE_HEADER = b"SQLite format 3\x00"


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _make_profile(home: Path) -> Path:
    with Profile.open(home) as profile:
        profile.settings.set("marker", "keep me")
        row = profile.calls.start(direction=CallDirection.OUTGOING, remote_uri="sip:bob@example.com",
                                  account_id=1, session="t")
        profile.calls.finish(row, status="answered", code=200, reason="OK", duration=3.0)
        profile.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return paths.db_path(home)


def _damage(db: Path, where: str = "scattered") -> None:
    data = bytearray(db.read_bytes())
    if where == "header":  # the salt and the first page's start
        data[0:100] = bytes(100)
    elif where == "middle":  # a few pages in the middle, away from the schema
        for frac in (0.35, 0.45, 0.5, 0.55, 0.65):
            m = int(len(data) * frac)
            data[m:m + 64] = bytes(b ^ 0xA5 for b in data[m:m + 64])
    else:
        for i in range(0, len(data), 997):
            data[i] ^= 0x5A
    db.write_bytes(bytes(data))


def _snapshot(home: Path) -> dict[str, str]:
    return {p.name: _digest(p) for p in sorted(home.iterdir()) if p.is_file()}


@pytest.mark.parametrize("problem", ["damaged", "damaged header", "key missing", "wrong key"])
def test_problem_gives_the_error_and_the_choice_and_changes_nothing(octasip_home, secret_service, problem) -> None:
    db = _make_profile(octasip_home)
    store = SecretStore()
    if problem.startswith("damaged"):
        _damage(db, "header" if problem == "damaged header" else "scattered")
    elif problem == "key missing":
        store.delete_key("database")
    else:
        store.set_key("database", os.urandom(32))
    before = _digest(db)
    files = _snapshot(octasip_home)
    diagnosis = recovery.diagnose(octasip_home, store)
    assert diagnosis.status is (recovery.Status.KEY_MISSING if problem == "key missing"
                                else recovery.Status.UNREADABLE)
    assert diagnosis.choices == ("keep-aside", "start-fresh")
    assert _snapshot(octasip_home) == files, "diagnose changes nothing"
    expected = DatabaseKeyMissingError if problem == "key missing" else DatabaseUnreadableError
    with pytest.raises(expected) as err:
        Profile.open(octasip_home)
    assert err.value.choices == ("keep-aside", "start-fresh")
    assert "octasip database keep-aside" in str(err.value) and "start-fresh" in str(err.value)
    res = octasip("history")
    assert res.returncode == 1
    assert_one_clean_line(res.stderr)
    assert "keep-aside" in res.stderr
    assert _digest(db) == before, "nothing is changed before the user chooses"
    assert _snapshot(octasip_home) == files and not list(octasip_home.glob("*.aside-*"))
    res = octasip("database", "status", "--json")
    assert res.returncode == 1
    st = json.loads(res.stdout)
    assert st["choices"] == ["keep-aside", "start-fresh"] and st["exists"] and st["opens"] is False
    assert store.get_key("database") is None if problem == "key missing" else store.get_key("database")


def test_damage_in_the_middle_is_found_by_status_and_on_reading(octasip_home, secret_service) -> None:
    """A damaged page away from the schema: the database opens (a full page check at every start would
    cost ~100 ms per 36 MB), `octasip database status` finds it, and reading it gives the error and the
    choice rather than a bare SQLCipher error."""
    with Profile.open(octasip_home) as profile:
        for i in range(3000):
            row = profile.calls.start(direction=CallDirection.OUTGOING, remote_uri=f"sip:u{i}@example.com",
                                      account_id=1, session="t")
            profile.calls.finish(row, status="answered", code=200, reason="OK", duration=3.0)
        profile.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = paths.db_path(octasip_home)
    _damage(db, "middle")
    before = _digest(db)
    diagnosis = recovery.diagnose(octasip_home, SecretStore())
    assert diagnosis.status is recovery.Status.DAMAGED and diagnosis.choices == ("keep-aside", "start-fresh")
    res = octasip("database", "status")
    assert res.returncode == 1 and "damaged" in res.stdout and "keep-aside" in res.stdout
    with Profile.open(octasip_home) as profile, pytest.raises(DatabaseUnreadableError) as err:
        profile.calls.count()
        profile.calls.newest(5000)
        profile.calls.search("u1", limit=5000)
    assert err.value.choices == ("keep-aside", "start-fresh") and "damaged" in str(err.value)
    res = octasip("history", "--limit", "5000")
    assert res.returncode == 1
    assert_one_clean_line(res.stderr)
    assert "damaged" in res.stderr and "keep-aside" in res.stderr
    assert _digest(db) == before
    assert octasip("database", "keep-aside", "--yes").returncode == 0
    (kept,) = recovery.aside_files(octasip_home)
    assert _digest(kept) == before
    with Profile.open(octasip_home) as fresh:
        assert fresh.calls.count() == 0


def test_keep_aside_keeps_the_exact_file_and_its_key(octasip_home, secret_service) -> None:
    db = _make_profile(octasip_home)
    store = SecretStore()
    old_key = store.get_key("database")
    before = _digest(db)
    res = octasip("database", "keep-aside")
    assert res.returncode == 1 and "--yes" in res.stderr  # not a terminal: refuses without --yes
    res = octasip("database", "keep-aside", "--yes")
    assert res.returncode == 0, res.stderr
    (kept,) = [p for p in octasip_home.glob("octasip.db.aside-*") if not p.name.endswith(("-wal", "-shm"))]
    assert _digest(kept) == before
    suffix = kept.name.split(".aside-", 1)[1]
    assert store.get_key(f"database-aside-{suffix}") == old_key
    with Profile.open(octasip_home) as fresh:  # a new, empty, encrypted profile
        assert fresh.settings.get("marker") is None and fresh.calls.count() == 0
    assert not db.read_bytes().startswith(SQLITE_HEADER)
    assert store.get_key("database") != old_key
    # The kept file still opens with its kept key.
    from octasip.storage.db import open_database

    conn = open_database(kept, old_key)
    assert conn.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone() == ('"keep me"',)
    conn.close()


def test_start_fresh_deletes_file_and_key(octasip_home, secret_service) -> None:
    db = _make_profile(octasip_home)
    _damage(db)
    store = SecretStore()
    old = store.get_key("database")
    res = octasip("database", "start-fresh", "--yes")
    assert res.returncode == 0, res.stderr
    assert not db.exists() and store.get_key("database") is None
    with Profile.open(octasip_home) as fresh:
        assert fresh.calls.count() == 0
    assert store.get_key("database") not in (None, old)
    assert not db.read_bytes().startswith(SQLITE_HEADER)
    assert octasip("database", "status").returncode == 0


@pytest.fixture
def tiny_disk(tmp_path: Path):
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"cannot mount a tiny tmpfs to simulate a full disk (needs root): {proc.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_gives_a_clear_error_and_loses_nothing(tiny_disk, secret_service, monkeypatch) -> None:
    home = tiny_disk / "home"
    monkeypatch.setenv("OCTASIP_HOME", str(home))
    saved = []
    with Profile.open(home) as profile:
        for i in range(20):
            row = profile.calls.start(direction=CallDirection.INCOMING, remote_uri=f"sip:u{i}@x", account_id=1,
                                      session="t")
            profile.calls.finish(row, status="answered", code=200, reason="OK", duration=1.0)
            saved.append(row)
        filler = tiny_disk / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as f:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        errors: list[str] = []
        with profile.journal(errors.append) as journal:
            from octasip.core.events import CallState
            from tests.test_history import _changed, _ended

            for cid in range(1, 200):
                journal.handle(_changed(cid, CallState.CALLING))
                journal.handle(_ended(cid, True, 200, 1.0))
                if errors:
                    break
        assert errors and "disk is full" in errors[0] and "intact" in errors[0]
        with pytest.raises(DiskFullError) as err:
            for i in range(2000):
                profile.settings.set(f"k{i}", "x" * 2000)
        message = str(err.value)
        assert f"the disk holding {home} is full" in message and "intact" in message
        assert "x" * 20 not in message
        with pytest.raises(DiskFullError):
            for i in range(2000):
                profile.calls.start(direction=CallDirection.INCOMING, remote_uri=f"sip:more{i}@x" + "y" * 500,
                                    account_id=1, session="t")
        assert recovery.diagnose(home, SecretStore()).status is recovery.Status.DISK_FULL
        assert {r.id for r in profile.calls.newest(1000)} >= set(saved), "reading still works on a full disk"
    res = octasip("privacy", "logs", "on")
    assert res.returncode == 1
    assert_one_clean_line(res.stderr)
    assert "the disk holding" in res.stderr and "is full" in res.stderr and "intact" in res.stderr
    filler.unlink()
    with Profile.open(home) as profile:
        assert {r.id for r in profile.calls.newest(1000)} >= set(saved)
        assert all(profile.calls.get(r) is not None for r in saved)
        profile.settings.set("after", "space freed")  # writing works again
        assert profile.settings.get("after") == "space freed"


def test_keep_aside_twice_in_one_second_gets_its_own_names(octasip_home, secret_service) -> None:
    store = SecretStore()
    keys = []
    for _ in range(2):
        _make_profile(octasip_home)
        keys.append(store.get_key("database"))
        result = recovery.keep_aside(octasip_home, store)
        assert result.kept is not None and result.kept.parent == octasip_home  # never outside the data dir
        assert store.get_key(result.key_kept_as) == keys[-1]
        assert store.get_key("database") is None
    kept = recovery.aside_files(octasip_home)
    assert len(kept) == 2 and len({p.name for p in kept}) == 2
    assert not paths.db_path(octasip_home).exists()


def test_neither_choice_runs_while_octasip_uses_the_profile(octasip_home, secret_service) -> None:
    from octasip.storage.errors import DatabaseError

    db = _make_profile(octasip_home)
    before = _digest(db)
    with Profile.open(octasip_home) as profile, profile.journal():
        for fn in (recovery.keep_aside, recovery.start_fresh):
            with pytest.raises(DatabaseError, match="quit it first"):
                fn(octasip_home, SecretStore())
        res = octasip("database", "start-fresh", "--yes")
        assert res.returncode == 1 and "quit it first" in res.stderr
        assert_one_clean_line(res.stderr)
    assert _digest(db) == before and SecretStore().get_key("database") is not None


def test_start_fresh_leaves_recordings_and_logs_alone(octasip_home, secret_service) -> None:
    _make_profile(octasip_home)
    rec = octasip_home / "recordings" / "r1.octarec"
    rec.parent.mkdir()
    rec.write_bytes(b"encrypted recording")
    result = recovery.start_fresh(octasip_home, SecretStore())
    assert "recordings" in result.done and rec.read_bytes() == b"encrypted recording"
    assert result.removed and not paths.db_path(octasip_home).exists()


def test_a_directory_in_place_of_the_database_is_diagnosed_and_left_alone(octasip_home, secret_service) -> None:
    paths.db_path(octasip_home).mkdir()
    assert recovery.diagnose(octasip_home, SecretStore()).status is recovery.Status.NOT_A_FILE
    from octasip.storage.errors import DatabaseError

    with pytest.raises(DatabaseError, match="not a regular file"):
        Profile.open(octasip_home)
    assert paths.db_path(octasip_home).is_dir()


def test_status_of_a_healthy_and_of_no_database(octasip_home, secret_service) -> None:
    assert recovery.diagnose(octasip_home, SecretStore()).status is recovery.Status.NONE
    assert not paths.db_path(octasip_home).exists(), "diagnose creates nothing"
    _make_profile(octasip_home)
    res = octasip("database", "status", "--json")
    assert res.returncode == 0, res.stderr
    st = json.loads(res.stdout)
    assert st["status"] == "ok" and st["opens"] is True and st["choices"] == []
    assert st["key_in_keyring"] is True and "key:" not in json.dumps(st).replace("'key:database'", "")
