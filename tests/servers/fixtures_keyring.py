"""Fixtures for a real Secret Service (gnome-keyring-daemon on a private D-Bus session bus).

``secret_service`` (session): starts the service once, points this process at it
(DBUS_SESSION_BUS_ADDRESS, PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring, and
keyring's cached backend), and restores everything at the end. Subprocesses get ``secret_service.env``.

``octasip_home`` (function): a fresh, empty OCTASIP_HOME; every keyring item of service "OctaSIP"
is cleared before and after the test, so tests never see each other's passwords or keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest

from tests.servers.keyring_service import SecretService

SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    service = SecretService(tmp_path_factory.mktemp("secret-service"))
    service.start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DBUS_SESSION_BUS_ADDRESS", service.address)
            mp.setenv("PYTHON_KEYRING_BACKEND", SECRET_SERVICE_BACKEND)
            # keyring caches the backend it chose first (keyring.get_keyring()); point it at this service
            # and put back what was cached before (None: keyring will detect again on next use).
            previous = getattr(keyring.core, "_keyring_backend", None)
            keyring.set_keyring(keyring.core.load_keyring(SECRET_SERVICE_BACKEND))
            try:
                yield service
            finally:
                mp.undo()
                keyring.core._keyring_backend = previous
    finally:
        service.stop()


@pytest.fixture
def octasip_home(tmp_path: Path, secret_service: SecretService, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "octasip-home"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("OCTASIP_HOME", str(home))
    secret_service.clear("OctaSIP")
    yield home
    secret_service.clear("OctaSIP")
