"""SIP passwords and encryption keys in the OS keyring, and nowhere else.

Only real OS keyrings are accepted: the freedesktop Secret Service (GNOME Keyring, KeePassXC, ...),
KWallet, the macOS Keychain and the Windows Credential Manager. Anything else (keyring's fail and
null backends, every keyrings.alt file backend, unknown third-party backends) is refused with
InsecureKeyringError before anything is read or written. There is no file fallback.

Entries live under the keyring service "OctaSIP", with the keyring "username" field set to
``sip-password:<account id>`` or ``key:<name>``. Keys are stored as hex text.

No message raised from here ever contains a secret. No Qt and no pjsua2 here.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets as _secrets
from collections.abc import Iterator

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE = "OctaSIP"
KEY_BYTES = 32

_FIX_HINT = (
    "Install and unlock an OS keyring (on Linux: GNOME Keyring, `apt install gnome-keyring`, or KWallet, "
    "inside a desktop session with D-Bus), or select one explicitly, e.g. "
    "PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring."
)

# Backends OctaSIP trusts: the OS keyrings shipped with `keyring`. Matched on the class or a base class.
_SECURE_BACKENDS = frozenset({
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.libsecret.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
})
_CHAINER = "keyring.backends.chainer.ChainerBackend"
_KEY_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_HEX_KEY = re.compile(rf"[0-9a-f]{{{2 * KEY_BYTES}}}")


class SecretStoreError(Exception):
    """The keyring could not be used. The message is safe to show and never contains a secret."""


class InsecureKeyringError(SecretStoreError):
    """The selected keyring backend is not a real OS keyring; OctaSIP refuses to use it."""


class KeyringUnavailableError(SecretStoreError):
    """The OS keyring exists but cannot be used right now (locked, prompt dismissed, D-Bus gone)."""


def _class_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _backend_name(backend: KeyringBackend) -> str:
    return _class_name(type(backend))


def _is_secure_backend(backend: KeyringBackend) -> bool:
    names = [_class_name(c) for c in type(backend).__mro__]
    if any(n.startswith("keyrings.alt.") for n in names):
        return False
    return any(n in _SECURE_BACKENDS for n in names)


def _chained(backend: KeyringBackend) -> list[KeyringBackend] | None:
    if any(_class_name(c) == _CHAINER for c in type(backend).__mro__):
        return list(getattr(backend, "backends", []))
    return None


def _scrub(text: str, *secrets: str | None) -> str:
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


class SecretStore:
    """Keyring access for OctaSIP. Every method first checks the backend is a real OS keyring.

    ``backend`` defaults to ``keyring.get_keyring()``. If that is keyring's chainer, the first secure
    backend in the chain is used on its own (the chainer would otherwise read from, and could write to,
    an insecure backend further down the chain); a chain without a secure backend is refused.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        if backend is None:
            backend = _default_backend()
        self._configured = backend
        chain = _chained(self._configured)
        if chain is not None:
            secure = [b for b in chain if _is_secure_backend(b)]
            self._backend = secure[0] if secure else self._configured
        else:
            self._backend = self._configured

    # ------------------------------------------------------------------ checks
    @property
    def backend_name(self) -> str:
        """Full class name of the backend in use, e.g. ``keyring.backends.SecretService.Keyring``."""
        name = _backend_name(self._backend)
        if self._backend is not self._configured:
            name += f" (chosen from {_backend_name(self._configured)})"
        return name

    def is_secure(self) -> bool:
        return _is_secure_backend(self._backend)

    def check(self) -> None:
        """Raise InsecureKeyringError unless the backend is a real OS keyring."""
        if self.is_secure():
            return
        name = _backend_name(self._backend)
        names = [_class_name(c) for c in type(self._backend).__mro__]
        if name.startswith("keyring.backends.fail."):
            why = "no OS keyring was found (keyring fell back to its 'fail' backend)"
        elif name.startswith("keyring.backends.null."):
            why = "the keyring is disabled (null backend)"
        elif any(n.startswith("keyrings.alt.") for n in names):
            why = "it keeps secrets in a file, not in an OS keyring"
        elif _chained(self._backend) is not None:
            chain = ", ".join(_backend_name(b) for b in _chained(self._backend) or []) or "no backends"
            why = f"the keyring chain ({chain}) contains no OS keyring"
        else:
            why = "it is not an OS keyring OctaSIP knows and trusts"
        raise InsecureKeyringError(
            f"OctaSIP refuses to store passwords or keys with keyring backend {name}: {why}. {_FIX_HINT}"
        )

    # ------------------------------------------------------------------ SIP passwords
    def set_sip_password(self, account_id: int, password: str) -> None:
        self.check()
        if not isinstance(password, str) or not password:
            raise ValueError("the SIP password must be a non-empty string")
        self._set(_account_entry(account_id), password, f"store the SIP password of account {account_id}")

    def get_sip_password(self, account_id: int) -> str | None:
        self.check()
        return self._get(_account_entry(account_id), f"read the SIP password of account {account_id}")

    def delete_sip_password(self, account_id: int) -> bool:
        """Delete the password of ``account_id``; False if there was none."""
        self.check()
        return self._delete(_account_entry(account_id), f"delete the SIP password of account {account_id}")

    # ------------------------------------------------------------------ keys
    def get_key(self, name: str) -> bytes | None:
        """The 32-byte key called ``name``, or None if the keyring has none."""
        self.check()
        entry = _key_entry(name)
        text = self._get(entry, f"read the key {name!r}")
        if text is None:
            return None
        if not _HEX_KEY.fullmatch(text):
            raise SecretStoreError(
                f"the keyring entry {entry!r} of service {SERVICE!r} is not a valid OctaSIP key "
                f"(expected {2 * KEY_BYTES} hex digits); it was left untouched"
            )
        return bytes.fromhex(text)

    def get_or_create_key(self, name: str) -> bytes:
        """The key called ``name``; if there is none, a new random one, stored and read back first."""
        key = self.get_key(name)
        if key is not None:
            return key
        key = _secrets.token_bytes(KEY_BYTES)
        self._set(_key_entry(name), key.hex(), f"store the new key {name!r}")
        if self.get_key(name) != key:
            raise KeyringUnavailableError(
                f"the keyring did not keep the new key {name!r} (read back a different value); nothing was "
                "encrypted with it. Check that the keyring is unlocked and writable."
            )
        return key

    def set_key(self, name: str, key: bytes) -> None:
        """Store ``key`` (32 bytes) under ``name``, and check the keyring kept it."""
        self.check()
        if not isinstance(key, bytes | bytearray) or len(key) != KEY_BYTES:
            raise ValueError(f"a key must be {KEY_BYTES} bytes")
        self._set(_key_entry(name), bytes(key).hex(), f"store the key {name!r}")
        if self.get_key(name) != bytes(key):
            raise KeyringUnavailableError(f"the keyring did not keep the key {name!r}; nothing was changed")

    def delete_key(self, name: str) -> bool:
        """Delete the key called ``name``; False if there was none."""
        self.check()
        return self._delete(_key_entry(name), f"delete the key {name!r}")

    # ------------------------------------------------------------------ backend calls
    def entries(self, account_ids: list[int] | tuple[int, ...] = (), key_names: tuple[str, ...] = ("database",)
                ) -> list[str]:
        """Every OctaSIP item in the keyring (their user names, never their secrets). Where the backend
        can search (Secret Service) that is all items of service "OctaSIP", found or not elsewhere;
        otherwise the items we know the names of."""
        self.check()
        found: set[str] = {_account_entry(i) for i in account_ids} | {_key_entry(k) for k in key_names}
        with self._mapped("list OctaSIP keyring items"):
            collection = getattr(self._backend, "get_preferred_collection", None)
            if collection is not None:
                for item in collection().search_items({"service": SERVICE}):
                    user = item.get_attributes().get("username")
                    if user:
                        found.add(user)
        return sorted(found)

    def delete_entry(self, entry: str) -> bool:
        """Delete one item by its user name (see `entries`); False if it was not there."""
        return self._delete(entry, f"delete keyring item {entry}")

    def _get(self, entry: str, action: str) -> str | None:
        with self._mapped(action):
            return self._backend.get_password(SERVICE, entry)

    def _set(self, entry: str, value: str, action: str) -> None:
        with self._mapped(action, value):
            self._backend.set_password(SERVICE, entry, value)

    def _delete(self, entry: str, action: str) -> bool:
        if self._get(entry, action) is None:
            return False
        with self._mapped(action):
            try:
                self._backend.delete_password(SERVICE, entry)
            except keyring.errors.PasswordDeleteError:
                return False  # deleted meanwhile
        return True

    @contextlib.contextmanager
    def _mapped(self, action: str, secret: str | None = None) -> Iterator[None]:
        """Turn the backend's many failure types into KeyringUnavailableError with a safe message."""
        name = _backend_name(self._backend)
        try:
            yield
        except SecretStoreError:
            raise
        except keyring.errors.KeyringLocked as e:
            raise KeyringUnavailableError(
                f"could not {action}: the keyring ({name}) is locked, or the unlock prompt was dismissed. "
                "Unlock it (e.g. log in to the desktop session, or open 'Passwords and Keys') and try again."
            ) from _without_context(e)
        except (keyring.errors.KeyringError, OSError, EOFError) as e:
            raise KeyringUnavailableError(_unavailable(action, name, e, secret)) from _without_context(e)
        except Exception as e:
            # secretstorage / jeepney / dbus errors (service gone, prompt dismissed, locked item) and
            # the OS APIs' own errors: their types depend on the platform, so match them by module.
            module = type(e).__module__.split(".")[0]
            if module in {"secretstorage", "jeepney", "dbus", "keyring", "win32ctypes", "pywintypes"}:
                raise KeyringUnavailableError(_unavailable(action, name, e, secret)) from _without_context(e)
            raise


def _default_backend() -> KeyringBackend:
    """keyring's configured or detected backend.

    keyring checks a backend's viability while choosing it, and that check itself fails when, e.g.,
    PYTHON_KEYRING_BACKEND names the Secret Service but the D-Bus session is gone.
    """
    try:
        return keyring.get_keyring()
    except Exception as e:
        detail = f"{type(e).__name__}: {e}".rstrip(": ")
        configured = os.environ.get("PYTHON_KEYRING_BACKEND", "")
        where = f" (PYTHON_KEYRING_BACKEND={configured})" if configured else ""
        raise KeyringUnavailableError(
            f"could not open the OS keyring{where}: {detail}. Make sure the keyring service is running and unlocked "
            "in this session (on Linux: gnome-keyring-daemon or KWallet, with DBUS_SESSION_BUS_ADDRESS set), "
            "or check PYTHON_KEYRING_BACKEND."
        ) from None


def _unavailable(action: str, name: str, e: BaseException, secret: str | None) -> str:
    detail = _scrub(str(e), secret).strip()
    detail = f"{type(e).__name__}: {detail}" if detail else type(e).__name__
    return (
        f"could not {action}: the keyring ({name}) is not reachable or refused the request ({detail}). "
        "Make sure the keyring service is running and unlocked in this session "
        "(on Linux: gnome-keyring-daemon or KWallet, with DBUS_SESSION_BUS_ADDRESS set)."
    )


def _without_context(e: BaseException) -> BaseException:
    """The original error for __cause__, with its own chain cut (it may carry arguments)."""
    e.__context__ = None
    e.__cause__ = None
    return e


def _account_entry(account_id: int) -> str:
    if isinstance(account_id, bool) or not isinstance(account_id, int) or account_id <= 0:
        raise ValueError("account id must be a positive integer")
    return f"sip-password:{account_id}"


def _key_entry(name: str) -> str:
    if not isinstance(name, str) or not _KEY_NAME.fullmatch(name):
        raise ValueError("key name must be 1-64 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit")
    return f"key:{name}"
