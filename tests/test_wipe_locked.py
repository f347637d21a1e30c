"""Wipe with a locked keyring: the keyring part is reported as failed, what was wiped is named, success is
never claimed, and nothing is claimed deleted that was not.

A Secret Service of its own (a second gnome-keyring-daemon on a private D-Bus): locking the session-wide
test keyring would disturb every other test. Its login collection is locked over D-Bus
(org.freedesktop.Secret.Service.Lock), as a desktop does on screen lock. The bus has no prompter, so
gnome-keyring cannot ask for the password: an unlock attempt ends the way a dismissed prompt does, and
`keyring` raises KeyringLocked. Afterwards the collection is unlocked again with its password through
gnome-keyring's own D-Bus interface, and the OctaSIP items are checked to be all there.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from octasip.profile import Profile
from octasip.secrets import KeyringUnavailableError, SecretStore
from tests.servers.keyring_service import KEYRING_PASSWORD, SERVICE_NAME, SecretService

pytestmark = pytest.mark.real

SIP_PASSWORD = "pw-locked-5c1e"
LOGIN = "/org/freedesktop/secrets/collection/login"


def _unlock(service: SecretService) -> None:
    """Unlock the login collection with its password, without a prompter (gnome-keyring's internal
    interface, which is what its own unlock dialog uses)."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus=service.address) as conn:
        secrets = DBusAddress("/org/freedesktop/secrets", bus_name=SERVICE_NAME,
                              interface="org.freedesktop.Secret.Service")
        reply = conn.send_and_get_reply(new_method_call(secrets, "OpenSession", "sv", ("plain", ("s", ""))))
        session = reply.body[1]
        internal = DBusAddress("/org/freedesktop/secrets", bus_name=SERVICE_NAME,
                               interface="org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface")
        secret = (session, b"", KEYRING_PASSWORD.encode(), "text/plain")
        reply = conn.send_and_get_reply(new_method_call(internal, "UnlockWithMasterPassword", "o(oayays)",
                                                        (LOGIN, secret)))
        assert reply.header.message_type.name == "method_return", reply.body


def _locked(service: SecretService) -> bool:
    out = service.dbus_call(LOGIN, "org.freedesktop.DBus.Properties.Get",
                            "string:org.freedesktop.Secret.Collection", "string:Locked", dest=SERVICE_NAME)
    return "boolean true" in out


@pytest.fixture
def locked_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SecretService]:
    import keyring
    import keyring.core

    service = SecretService(tmp_path / "locked-service")
    service.start()
    previous = getattr(keyring.core, "_keyring_backend", None)
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.address)
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
        keyring.set_keyring(keyring.core.load_keyring("keyring.backends.SecretService.Keyring"))
        yield service
    finally:
        keyring.core._keyring_backend = previous
        service.stop()


def test_wipe_with_a_locked_keyring_reports_the_failed_part(locked_service: SecretService, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from octasip.privacy.wipe import wipe

    home = tmp_path / "home"
    monkeypatch.setenv("OCTASIP_HOME", str(home))
    with Profile.open(home) as profile:
        profile.secrets.set_sip_password(1, SIP_PASSWORD)
        key = profile.secrets.get_key("database")
    before = {item["path"] for item in locked_service.search("OctaSIP")}
    assert len(before) == 2, before  # the database key and the SIP password

    locked_service.lock()
    assert _locked(locked_service)
    with pytest.raises(KeyringUnavailableError, match="locked"):
        SecretStore().get_sip_password(1)  # no prompter: the unlock prompt is dismissed

    report = wipe(home)
    assert not report.ok, "success is never claimed"
    assert "locked" in report.failed["keyring"]
    assert not any("keyring" in part for part in report.wiped), "nothing claimed deleted that was not"
    assert any("data directory" in part for part in report.wiped) and not home.exists()
    for text in (*report.wiped, *report.failed.values()):
        assert SIP_PASSWORD not in text and key.hex() not in text

    # The CLI, in a process of its own against the same locked keyring (data directory made again).
    (home / "run").mkdir(parents=True)
    (home / "settings-cache").write_text("x")
    res = subprocess.run([sys.executable, "-m", "octasip", "wipe", "--yes"], capture_output=True, text=True,
                         env={**locked_service.env, "OCTASIP_HOME": str(home)}, timeout=60)
    assert res.returncode == 1, res
    assert "Traceback" not in res.stderr
    assert "NOT wiped: keyring" in res.stderr and "locked" in res.stderr
    assert "wiped: data directory" in res.stdout and "wiped: keyring" not in res.stdout
    assert SIP_PASSWORD not in res.stdout + res.stderr and key.hex() not in res.stdout + res.stderr
    assert not home.exists()

    # Unlock: every OctaSIP item is still there, with its secret.
    _unlock(locked_service)
    assert not _locked(locked_service)
    assert {item["path"] for item in locked_service.search("OctaSIP")} == before
    store = SecretStore()
    assert store.get_sip_password(1) == SIP_PASSWORD
    assert store.get_key("database") == key

