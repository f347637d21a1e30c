"""octasip.secrets against a real Secret Service (gnome-keyring-daemon), and refusal of insecure backends."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.backends.SecretService
import pytest
from keyring.backends.chainer import ChainerBackend
from keyrings.alt.file import PlaintextKeyring

from octasip.secrets import (
    InsecureKeyringError,
    KeyringUnavailableError,
    SecretStore,
    SecretStoreError,
)
from tests.servers.keyring_service import SecretService

pytestmark = pytest.mark.real

PASSWORD = "s3cr3t-Pässwörd-€-9f2c"
REPO_ROOT = Path(__file__).resolve().parents[1]


def _by_username(items: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {i["attribute.username"]: i for i in items}


@pytest.fixture
def store(octasip_home: Path) -> SecretStore:
    return SecretStore()


# ---------------------------------------------------------------- the real Secret Service
def test_default_backend_is_the_secret_service(store: SecretStore) -> None:
    assert store.backend_name == "keyring.backends.SecretService.Keyring"
    assert store.is_secure()
    store.check()


def test_sip_password_round_trip(store: SecretStore, secret_service: SecretService) -> None:
    assert store.get_sip_password(7) is None
    store.set_sip_password(7, PASSWORD)
    assert store.get_sip_password(7) == PASSWORD

    items = _by_username(secret_service.search("OctaSIP"))
    assert set(items) == {"sip-password:7"}
    assert items["sip-password:7"]["attribute.service"] == "OctaSIP"
    assert items["sip-password:7"]["secret"] == PASSWORD

    store.set_sip_password(7, PASSWORD + "-new")  # replaces, never duplicates
    assert store.get_sip_password(7) == PASSWORD + "-new"
    assert len(secret_service.search("OctaSIP")) == 1

    assert store.delete_sip_password(7) is True
    assert store.get_sip_password(7) is None
    assert secret_service.search("OctaSIP") == []
    assert store.delete_sip_password(7) is False


def test_passwords_of_accounts_are_separate(store: SecretStore, secret_service: SecretService) -> None:
    store.set_sip_password(1, "one")
    store.set_sip_password(2, "two")
    assert (store.get_sip_password(1), store.get_sip_password(2)) == ("one", "two")
    assert store.delete_sip_password(1)
    assert store.get_sip_password(2) == "two"
    assert set(_by_username(secret_service.search())) == {"sip-password:2"}


def test_key_created_once_stored_as_hex_and_deleted(store: SecretStore, secret_service: SecretService) -> None:
    assert store.get_key("database") is None
    key = store.get_or_create_key("database")
    assert isinstance(key, bytes) and len(key) == 32
    assert store.get_or_create_key("database") == key
    assert store.get_key("database") == key
    assert SecretStore().get_key("database") == key  # a new store (new D-Bus connection) reads the same

    items = _by_username(secret_service.search("OctaSIP"))
    assert items["key:database"]["secret"] == key.hex()
    assert items["key:database"]["attribute.service"] == "OctaSIP"

    other = store.get_or_create_key("recordings")
    assert other != key
    assert store.delete_key("database") is True
    assert store.get_key("database") is None
    assert store.get_key("recordings") == other
    assert store.delete_key("database") is False


def test_malformed_key_entry_is_an_error_without_its_value(store: SecretStore, secret_service: SecretService) -> None:
    secret_service.secret_tool("store", "--label=bad", "service", "OctaSIP", "username", "key:database",
                               input="not-a-key-XYZZY")
    with pytest.raises(SecretStoreError) as exc:
        store.get_key("database")
    assert "XYZZY" not in str(exc.value)
    assert "key:database" in str(exc.value)
    assert secret_service.search()[0]["secret"] == "not-a-key-XYZZY"  # left untouched


def test_bad_arguments_are_rejected(store: SecretStore) -> None:
    with pytest.raises(ValueError):
        store.set_sip_password(1, "")
    with pytest.raises(ValueError):
        store.get_sip_password(0)
    with pytest.raises(ValueError):
        store.get_key("Bad Name")


# ---------------------------------------------------------------- insecure backends are refused
def _assert_refuses_everything(store: SecretStore, backend_name: str) -> InsecureKeyringError:
    assert not store.is_secure()
    calls = [
        store.check,
        lambda: store.set_sip_password(1, PASSWORD),
        lambda: store.get_sip_password(1),
        lambda: store.delete_sip_password(1),
        lambda: store.get_key("database"),
        lambda: store.get_or_create_key("database"),
        lambda: store.delete_key("database"),
    ]
    errors = []
    for call in calls:
        with pytest.raises(InsecureKeyringError) as exc:
            call()
        errors.append(exc.value)
    message = str(errors[0])
    assert backend_name in message
    assert "PYTHON_KEYRING_BACKEND" in message and "GNOME Keyring" in message
    assert all(PASSWORD not in str(e) for e in errors)
    return errors[0]


def test_plaintext_file_backend_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    err = _assert_refuses_everything(SecretStore(backend), "keyrings.alt.file.PlaintextKeyring")
    assert "file" in str(err)
    assert list(tmp_path.iterdir()) == []


def test_null_backend_is_refused() -> None:
    _assert_refuses_everything(SecretStore(keyring.backends.null.Keyring()), "keyring.backends.null.Keyring")


def test_fail_backend_is_refused() -> None:
    err = _assert_refuses_everything(SecretStore(keyring.backends.fail.Keyring()), "keyring.backends.fail.Keyring")
    assert "no OS keyring was found" in str(err)


def test_unknown_backend_is_refused() -> None:
    class MemoryKeyring:  # duck-typed: a KeyringBackend subclass would register itself with keyring
        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise AssertionError("must never be called")

        def delete_password(self, service, username):
            raise AssertionError("must never be called")

    _assert_refuses_everything(SecretStore(MemoryKeyring()), "MemoryKeyring")


def test_chain_without_an_os_keyring_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = PlaintextKeyring()
    plain.file_path = str(tmp_path / "keyring_pass.cfg")
    monkeypatch.setattr(ChainerBackend, "backends", [plain])
    _assert_refuses_everything(SecretStore(ChainerBackend()), "ChainerBackend")
    assert list(tmp_path.iterdir()) == []


def test_chain_uses_only_its_os_keyring(octasip_home: Path, secret_service: SecretService, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    plain_dir = tmp_path / "plaintext"
    plain_dir.mkdir()
    plain = PlaintextKeyring()
    plain.file_path = str(plain_dir / "keyring_pass.cfg")
    monkeypatch.setattr(ChainerBackend, "backends", [plain, keyring.backends.SecretService.Keyring()])
    store = SecretStore(ChainerBackend())
    assert store.is_secure()
    assert store.backend_name.startswith("keyring.backends.SecretService.Keyring (chosen from ")
    store.set_sip_password(3, PASSWORD)
    assert store.get_sip_password(3) == PASSWORD
    assert set(_by_username(secret_service.search())) == {"sip-password:3"}
    assert list(plain_dir.iterdir()) == []  # the plaintext file backend was never used


# ---------------------------------------------------------------- the keyring goes away or is locked
@pytest.fixture
def second_service(tmp_path: Path, secret_service: SecretService, monkeypatch: pytest.MonkeyPatch,
                   ) -> Iterator[SecretService]:
    """Another real Secret Service, used by this process only (so the session one stays intact)."""
    service = SecretService(tmp_path / "second")
    service.start()
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.address)
        yield service
    finally:
        service.stop()


def _assert_unavailable(call, *words: str) -> KeyringUnavailableError:
    with pytest.raises(KeyringUnavailableError) as exc:
        call()
    message = str(exc.value)
    for word in words:
        assert word in message
    assert PASSWORD not in message
    assert PASSWORD not in repr(exc.value.__cause__)
    return exc.value


def test_keyring_that_went_away_is_unavailable(second_service: SecretService) -> None:
    # The Secret Service was there (a secure backend was chosen and used), then the daemon and its
    # D-Bus session went away: the backend is still the right one, it just cannot be reached now.
    store = SecretStore(keyring.backends.SecretService.Keyring())
    store.set_sip_password(5, PASSWORD)
    assert store.get_sip_password(5) == PASSWORD
    second_service.stop()

    assert store.is_secure()
    _assert_unavailable(lambda: store.get_sip_password(5), "not reachable", "DBUS_SESSION_BUS_ADDRESS")
    _assert_unavailable(lambda: store.set_sip_password(5, PASSWORD), "store the SIP password of account 5")
    _assert_unavailable(lambda: store.get_or_create_key("database"), "not reachable")
    _assert_unavailable(lambda: store.delete_sip_password(5), "not reachable")


def test_locked_keyring_is_unavailable(second_service: SecretService) -> None:
    store = SecretStore(keyring.backends.SecretService.Keyring())
    store.set_sip_password(5, PASSWORD)
    second_service.lock()
    # No prompter can be shown here, which is what a dismissed unlock prompt looks like to us.
    _assert_unavailable(lambda: store.get_sip_password(5), "locked", "Unlock it")
    _assert_unavailable(lambda: store.set_sip_password(5, PASSWORD), "locked")


_PROBE = textwrap.dedent("""
    import json
    from octasip.secrets import SecretStore, SecretStoreError
    out = {}
    try:
        store = SecretStore()
        out["backend"] = store.backend_name
        store.set_sip_password(1, "PROBE-SECRET")
        out["result"] = "stored"
    except SecretStoreError as e:
        out["error"] = type(e).__name__
        out["message"] = str(e)
    print(json.dumps(out))
""")


def _probe(env: dict[str, str]) -> dict[str, str]:
    proc = subprocess.run([sys.executable, "-c", _PROBE], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _isolated_env(secret_service: SecretService, tmp_path: Path, dead_socket: Path) -> dict[str, str]:
    env = dict(secret_service.env)
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               DBUS_SESSION_BUS_ADDRESS=f"unix:path={dead_socket}")
    return env


def test_dead_bus_with_secret_service_configured_is_unavailable(secret_service: SecretService,
                                                                tmp_path: Path) -> None:
    # PYTHON_KEYRING_BACKEND names the Secret Service, but there is no bus: KeyringUnavailableError.
    env = _isolated_env(secret_service, tmp_path, tmp_path / "no-such-bus")
    out = _probe(env)
    assert out["error"] == "KeyringUnavailableError", out
    assert "DBUS_SESSION_BUS_ADDRESS" in out["message"] and "PROBE-SECRET" not in out["message"]


def test_dead_bus_with_autodetection_is_insecure(secret_service: SecretService, tmp_path: Path) -> None:
    # No backend configured and no bus: keyring's autodetection finds no OS keyring and falls back to a
    # file (keyrings.alt) or to its fail backend. Either way there is no OS keyring: InsecureKeyringError,
    # and nothing was written anywhere.
    env = _isolated_env(secret_service, tmp_path, tmp_path / "no-such-bus")
    del env["PYTHON_KEYRING_BACKEND"]
    out = _probe(env)
    assert out["error"] == "InsecureKeyringError", out
    assert out["backend"] in ("keyrings.alt.file.PlaintextKeyring", "keyring.backends.fail.Keyring")
    assert "PYTHON_KEYRING_BACKEND" in out["message"] and "PROBE-SECRET" not in out["message"]
    assert not any("PROBE-SECRET" in p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
