"""Bad input for the encrypted database: a damaged file, a key missing from the keyring, a wrong key and
a full disk each give a clear error and a choice (keep aside / start fresh), and nothing is changed until
the user chooses. Wipe with a locked keyring reports the keyring part as failed. Real Secret Service;
the full disk is a real, tiny tmpfs."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from octasip import paths
from octasip.core.events import CallDirection
from octasip.profile import Profile
from octasip.secrets import SecretStore
from octasip.storage.errors import (
    DatabaseKeyMissingError,
    DatabaseUnreadableError,
)
from tests.servers.keyring_service import SERVICE_NAME, SecretService
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


def _damage(db: Path) -> None:
    data = bytearray(db.read_bytes())
    for i in range(0, len(data), 997):
        data[i] ^= 0x5A
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("problem", ["damaged", "key missing", "wrong key"])
def test_problem_gives_the_error_and_the_choice_and_changes_nothing(octasip_home, secret_service, problem) -> None:
    db = _make_profile(octasip_home)
    store = SecretStore()
    if problem == "damaged":
        _damage(db)
    elif problem == "key missing":
        store.delete_key("database")
    else:
        store.set_key("database", os.urandom(32))
    before = _digest(db)
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
    assert octasip("database", "status").returncode == 1


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
        with pytest.raises(Exception) as raw:
            for i in range(2000):
                profile.settings.set(f"k{i}", "x" * 2000)
        from octasip.storage.errors import is_disk_full

        assert is_disk_full(raw.value)
    res = octasip("privacy", "logs", "on")
    assert res.returncode == 1
    assert_one_clean_line(res.stderr)
    assert "is full" in res.stderr
    filler.unlink()
    with Profile.open(home) as profile:
        assert {r.id for r in profile.calls.newest(1000)} >= set(saved)


def test_wipe_with_a_locked_keyring_reports_the_failed_part(tmp_path: Path, monkeypatch) -> None:
    """A keyring of its own: locking the session keyring would disturb the other tests."""
    import keyring
    import keyring.core

    from octasip.privacy.wipe import wipe

    service = SecretService(tmp_path / "locked-service")
    service.start()
    previous = getattr(keyring.core, "_keyring_backend", None)
    try:
        for k, v in service.env.items():
            if k in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND"):
                monkeypatch.setenv(k, v)
        keyring.set_keyring(keyring.core.load_keyring("keyring.backends.SecretService.Keyring"))
        home = tmp_path / "home"
        monkeypatch.setenv("OCTASIP_HOME", str(home))
        with Profile.open(home) as profile:
            profile.secrets.set_sip_password(1, "pw-locked")
        service.dbus_call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
                          "array:objpath:/org/freedesktop/secrets/collection/login", dest=SERVICE_NAME)
        report = wipe(home)
        assert not report.ok and "keyring" in report.failed and "locked" in report.failed["keyring"]
        assert not any("keyring" in w for w in report.wiped)
        res = subprocess.run([sys.executable, "-m", "octasip", "wipe", "--yes"], capture_output=True, text=True,
                             env={**service.env, "OCTASIP_HOME": str(home)}, timeout=60)
        assert res.returncode == 1 and "keyring" in res.stderr + res.stdout and "Traceback" not in res.stderr
        found = service.dbus_call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service.SearchItems",
                                  "dict:string:string:service,OctaSIP", dest=SERVICE_NAME)
        assert found.count("/org/freedesktop/secrets/collection/login/") >= 2, found  # password + key, locked
    finally:
        keyring.core._keyring_backend = previous
        service.stop()
