"""The SQLCipher database, its migrations and repositories, and Profile (with the real Secret Service)."""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import stat
from pathlib import Path

import keyring.backends.null
import pytest
import sqlcipher3.dbapi2 as sqlcipher

from octasip import paths
from octasip.core.models import AccountConfig, DtmfMode, SrtpPolicy, Transport
from octasip.profile import Profile
from octasip.secrets import InsecureKeyringError, SecretStore
from octasip.storage import migrations
from octasip.storage.accounts import AccountRepository
from octasip.storage.db import (
    DatabaseError,
    DatabaseKeyMissingError,
    DatabaseUnreadableError,
    open_database,
    transaction,
)
from octasip.storage.settings import SettingsRepository
from tests.servers.keyring_service import SecretService

SQLITE_HEADER = b"SQLite format 3\x00"


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "octasip.db"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_key_not_in(message: str, key: bytes) -> None:
    for text in (key.hex(), key.hex().upper(), repr(key)):
        assert text not in message


# ---------------------------------------------------------------- open_database
def test_open_creates_an_encrypted_migrated_database(db_file: Path, key: bytes) -> None:
    conn = open_database(db_file, key)
    try:
        assert conn.execute("PRAGMA cipher_version").fetchone()[0]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA cache_size").fetchone()[0] < -2000  # larger than SQLite's 2 MiB default
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"accounts", "settings"} <= tables
        SettingsRepository(conn).set("probe", "PLAINTEXT-MARKER")
        assert stat.S_IMODE(os.stat(db_file).st_mode) == 0o600
        wal = db_file.with_name(db_file.name + "-wal")
        assert wal.exists() and stat.S_IMODE(os.stat(wal).st_mode) == 0o600
    finally:
        conn.close()
    data = db_file.read_bytes()
    assert not data.startswith(SQLITE_HEADER)
    assert b"PLAINTEXT-MARKER" not in data and b"CREATE TABLE" not in data
    # The stock sqlite3 module cannot read it.
    plain = sqlite3.connect(db_file)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_reopen_with_the_same_key_keeps_the_data(db_file: Path, key: bytes) -> None:
    conn = open_database(db_file, key)
    SettingsRepository(conn).set("answer", {"n": 42})
    conn.close()
    conn = open_database(db_file, key)
    assert SettingsRepository(conn).get("answer") == {"n": 42}
    conn.close()


def test_wrong_key_is_unreadable_and_the_message_has_no_key(db_file: Path, key: bytes) -> None:
    open_database(db_file, key).close()
    before = _digest(db_file)
    wrong = secrets.token_bytes(32)
    with pytest.raises(DatabaseUnreadableError) as exc:
        open_database(db_file, wrong)
    message = str(exc.value)
    assert "left untouched" in message and str(db_file) in message
    _assert_key_not_in(message, wrong)
    _assert_key_not_in(message, key)
    assert exc.value.__cause__ is None and exc.value.__suppress_context__
    assert _digest(db_file) == before
    assert open_database(db_file, key).execute("SELECT count(*) FROM accounts").fetchone()[0] == 0


@pytest.mark.parametrize("damage", ["random", "truncated-header", "plain-sqlite"])
def test_corrupt_or_foreign_file_is_unreadable(db_file: Path, key: bytes, damage: str) -> None:
    if damage == "random":
        db_file.write_bytes(os.urandom(8192))
    elif damage == "truncated-header":
        open_database(db_file, key).close()
        data = bytearray(db_file.read_bytes())
        data[:64] = os.urandom(64)  # the salt and first page's ciphertext
        db_file.write_bytes(bytes(data))
    else:
        plain = sqlite3.connect(db_file)
        plain.execute("CREATE TABLE t (x)")
        plain.commit()
        plain.close()
    before = _digest(db_file)
    with pytest.raises(DatabaseUnreadableError) as exc:
        open_database(db_file, key)
    _assert_key_not_in(str(exc.value), key)
    assert _digest(db_file) == before


def test_newer_schema_is_refused_and_left_untouched(db_file: Path, key: bytes) -> None:
    conn = open_database(db_file, key)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 3}")
    conn.close()
    before = _digest(db_file)
    with pytest.raises(DatabaseError) as exc:
        open_database(db_file, key)
    assert not isinstance(exc.value, DatabaseUnreadableError)
    assert "newer OctaSIP" in str(exc.value) and "left untouched" in str(exc.value)
    assert _digest(db_file) == before
    assert not db_file.with_name(db_file.name + "-wal").exists()


def test_bad_key_argument(db_file: Path) -> None:
    with pytest.raises(ValueError):
        open_database(db_file, b"short")
    assert not db_file.exists()


def test_existing_file_permissions_are_tightened(db_file: Path, key: bytes) -> None:
    open_database(db_file, key).close()
    os.chmod(db_file, 0o644)
    open_database(db_file, key).close()
    assert stat.S_IMODE(os.stat(db_file).st_mode) == 0o600


# ---------------------------------------------------------------- migrations
def test_failed_migration_rolls_back_to_the_previous_version(db_file: Path, key: bytes) -> None:
    conn = open_database(db_file, key)
    broken = [
        *migrations.MIGRATIONS,
        migrations.Migration("half done", ("CREATE TABLE half (x)", "THIS IS NOT SQL")),
    ]
    with pytest.raises(DatabaseError) as exc:
        migrations.migrate(conn, broken)
    assert f"left at version {migrations.LATEST_VERSION}" in str(exc.value)
    assert migrations.schema_version(conn) == migrations.LATEST_VERSION
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    assert not conn.in_transaction

    appended = [*migrations.MIGRATIONS, migrations.Migration("later", ("CREATE TABLE later (x)",))]
    assert migrations.migrate(conn, appended) == migrations.LATEST_VERSION + 1
    assert migrations.migrate(conn, appended) == migrations.LATEST_VERSION + 1  # idempotent
    conn.close()


def test_migrations_start_from_an_empty_database(db_file: Path, key: bytes) -> None:
    conn = sqlcipher.connect(str(db_file), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    assert migrations.schema_version(conn) == 0
    conn.close()
    conn = open_database(db_file, key)
    assert migrations.schema_version(conn) == migrations.LATEST_VERSION
    conn.close()


def test_transaction_helper(db_file: Path, key: bytes) -> None:
    conn = open_database(db_file, key)
    settings = SettingsRepository(conn)
    with pytest.raises(RuntimeError), transaction(conn):
        settings.set("a", 1)
        raise RuntimeError("boom")
    assert settings.get("a") is None
    with transaction(conn):
        settings.set("a", 1)
        settings.set("b", 2)
    assert settings.all() == {"a": 1, "b": 2}
    conn.close()


# ---------------------------------------------------------------- repositories
def test_accounts_round_trip(db_file: Path, key: bytes) -> None:
    conn = open_database(db_file, key)
    repo = AccountRepository(conn)
    assert repo.list() == []
    full = AccountConfig(
        uri="sips:alice@example.org", id=99, display_name="Alice Ö", registrar="sip:registrar.example.org:5061",
        username="alice-auth", transport=Transport.TLS, outbound_proxy="sip:proxy.example.org;lr", expiry=600,
        ca_file="/etc/ssl/ca.pem", srtp=SrtpPolicy.OPTIONAL, allow_direct_calls=True,
        dtmf_mode=DtmfMode.SIP_INFO, enabled=False,
    )  # fmt: skip
    minimal = AccountConfig(uri="sip:bob@example.com")

    a = repo.add(full)
    b = repo.add(minimal)
    assert a.id != 99 and a.id > 0 and b.id > a.id
    assert a == full.replace(id=a.id)
    assert repo.get(a.id) == a
    assert repo.get(b.id) == b and repo.get(b.id).srtp is None
    assert repo.list() == [a, b]
    assert repo.get(12345) is None

    row = conn.execute("SELECT transport, srtp, dtmf_mode, allow_direct_calls, enabled, created_at "
                       "FROM accounts WHERE id = ?", (a.id,)).fetchone()
    assert row[:5] == ("tls", "optional", "info", 1, 0) and row[5]
    row = conn.execute("SELECT transport, srtp, dtmf_mode FROM accounts WHERE id = ?", (b.id,)).fetchone()
    assert row == ("udp", None, "rfc4733")

    changed = a.replace(srtp=None, transport=Transport.TCP, enabled=True, display_name="")
    repo.update(changed)
    assert repo.get(a.id) == changed
    with pytest.raises(KeyError):
        repo.update(minimal.replace(id=777))

    conn.close()
    conn = open_database(db_file, key)  # persisted
    repo = AccountRepository(conn)
    assert repo.list() == [changed, b]
    assert repo.remove(b.id) is True
    assert repo.remove(b.id) is False
    c = repo.add(minimal)
    assert c.id > b.id  # ids are never reused (a keyring entry of a removed account cannot attach to it)
    conn.close()


def test_settings_round_trip(db_file: Path, key: bytes) -> None:
    conn = open_database(db_file, key)
    settings = SettingsRepository(conn)
    assert settings.get("missing") is None
    assert settings.get("missing", "dflt") == "dflt"
    values = {"s": "text €", "i": 3, "f": 1.5, "b": False, "n": None, "l": [1, "x"], "d": {"k": [True]}}
    for k, v in values.items():
        settings.set(k, v)
    for k, v in values.items():
        assert settings.get(k, "dflt") == v
    settings.set("i", 4)
    assert settings.get("i") == 4
    with pytest.raises(TypeError):
        settings.set("bad", object())
    assert settings.get("bad") is None
    assert settings.delete("i") is True and settings.get("i") is None
    conn.close()


# ---------------------------------------------------------------- paths
def test_data_dir_from_env_is_created_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "a" / "b"
    monkeypatch.setenv("OCTASIP_HOME", str(home))
    assert paths.data_dir() == home
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
    assert paths.db_path(home) == home / "octasip.db"


def test_data_dir_default_is_the_platform_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCTASIP_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.data_dir() == tmp_path / "xdg" / "OctaSIP"
    assert stat.S_IMODE(os.stat(tmp_path / "xdg" / "OctaSIP").st_mode) == 0o700


# ---------------------------------------------------------------- Profile (real Secret Service)
@pytest.mark.real
def test_profile_creates_key_then_database_and_reopens(octasip_home: Path, secret_service: SecretService) -> None:
    with Profile.open() as profile:
        assert profile.data_dir == octasip_home
        saved = profile.accounts.add(AccountConfig(uri="sip:alice@example.com"))
        profile.settings.set("theme", "dark")
        profile.secrets.set_sip_password(saved.id, "pw-123")
    items = {i["attribute.username"]: i for i in secret_service.search()}
    assert set(items) == {"key:database", f"sip-password:{saved.id}"}
    key = bytes.fromhex(items["key:database"]["secret"])
    assert not paths.db_path(octasip_home).read_bytes().startswith(SQLITE_HEADER)

    with Profile.open(octasip_home) as profile:
        assert profile.accounts.list() == [saved]
        assert profile.settings.get("theme") == "dark"
        assert profile.secrets.get_sip_password(saved.id) == "pw-123"
    assert SecretStore().get_key("database") == key  # the key was not replaced
    assert profile.conn is None  # closed


@pytest.mark.real
def test_profile_refuses_a_database_whose_key_is_missing(octasip_home: Path, secret_service: SecretService) -> None:
    with Profile.open() as profile:
        profile.accounts.add(AccountConfig(uri="sip:alice@example.com"))
    db_file = paths.db_path(octasip_home)
    before = _digest(db_file)
    listing = sorted(p.name for p in octasip_home.iterdir())
    assert SecretStore().delete_key("database")

    with pytest.raises(DatabaseKeyMissingError) as exc:
        Profile.open()
    message = str(exc.value)
    assert str(db_file) in message and "left untouched" in message
    assert _digest(db_file) == before
    assert sorted(p.name for p in octasip_home.iterdir()) == listing
    assert secret_service.search() == []  # no new key was made over the existing database
    with pytest.raises(DatabaseKeyMissingError):
        Profile.open()  # still refused, still untouched
    assert _digest(db_file) == before


@pytest.mark.real
def test_profile_with_a_replaced_key_is_unreadable(octasip_home: Path, secret_service: SecretService) -> None:
    Profile.open().close()
    db_file = paths.db_path(octasip_home)
    before = _digest(db_file)
    store = SecretStore()
    store.delete_key("database")
    other = store.get_or_create_key("database")
    with pytest.raises(DatabaseUnreadableError) as exc:
        Profile.open()
    _assert_key_not_in(str(exc.value), other)
    assert _digest(db_file) == before


@pytest.mark.real
def test_profile_refuses_an_insecure_keyring_before_touching_anything(octasip_home: Path) -> None:
    with pytest.raises(InsecureKeyringError):
        Profile.open(secrets=SecretStore(keyring.backends.null.Keyring()))
    assert list(octasip_home.iterdir()) == []
