"""A real freedesktop Secret Service for tests: a private D-Bus session bus plus gnome-keyring-daemon.

Everything lives in one temporary directory: HOME, XDG_DATA_HOME (the keyring files), XDG_CONFIG_HOME
and XDG_RUNTIME_DIR all point into it, so the real user's keyrings are never touched. The bus is
started from our own minimal configuration without service directories, so nothing is ever
D-Bus-activated behind our back: every process belongs to a process group we started and stop.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

SERVICE_NAME = "org.freedesktop.secrets"
KEYRING_PASSWORD = "octasip-test-login-keyring"
REQUIRED_TOOLS = {
    "dbus-daemon": "dbus",
    "dbus-send": "dbus",
    "gnome-keyring-daemon": "gnome-keyring",
    "secret-tool": "libsecret-tools",
}

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SecretServiceError(RuntimeError):
    """The test Secret Service could not be started or did not behave."""


def missing_tools() -> dict[str, str]:
    """Tools that are not on PATH, with the Debian package that provides each."""
    return {tool: pkg for tool, pkg in REQUIRED_TOOLS.items() if shutil.which(tool) is None}


class _Group:
    """A child process in its own session/process group, stopped as a whole."""

    def __init__(self, popen: subprocess.Popen[bytes], name: str, log: Path) -> None:
        self.popen = popen
        self.name = name
        self.log = log

    def alive(self) -> bool:
        self.popen.poll()
        try:
            os.killpg(self.popen.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def stop(self, timeout: float = 5.0) -> None:
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            if not self.alive():
                break
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while self.alive() and time.monotonic() < deadline:
                time.sleep(0.05)
        if self.alive():
            raise SecretServiceError(f"{self.name} (process group {self.popen.pid}) survived SIGKILL")
        self.popen.wait(timeout=5)

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except FileNotFoundError:
            return ""


class SecretService:
    """Start with ``start()``, stop with ``stop()``. ``env`` is the environment for clients."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.home = self.root / "home"
        self.data_home = self.root / "data"
        self.config_home = self.root / "config"
        self.runtime_dir = self.root / "run"
        self.socket = self.runtime_dir / "bus"
        self.address = ""
        self._bus: _Group | None = None
        self._keyring: _Group | None = None

    # ------------------------------------------------------------------ environment
    @property
    def env(self) -> dict[str, str]:
        """os.environ plus this bus and the Secret Service keyring backend (for subprocesses)."""
        env = dict(os.environ)
        env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
        return env

    def _daemon_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "XDG_", "GNOME_KEYRING"))}
        env.update(
            HOME=str(self.home), XDG_DATA_HOME=str(self.data_home), XDG_CONFIG_HOME=str(self.config_home),
            XDG_RUNTIME_DIR=str(self.runtime_dir), XDG_CACHE_HOME=str(self.root / "cache"),
            LC_ALL="C.UTF-8",
        )  # fmt: skip
        if self.address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        else:
            env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        return env

    # ------------------------------------------------------------------ lifecycle
    def start(self, timeout: float = 20.0) -> None:
        missing = missing_tools()
        if missing:
            raise SecretServiceError(
                "cannot start the test Secret Service, missing: "
                + ", ".join(missing)
                + f". Install them: apt-get install {' '.join(sorted(set(missing.values())))} (or `make deps`)"
            )
        for d in (self.home, self.data_home, self.config_home, self.runtime_dir, self.root / "cache"):
            d.mkdir(parents=True, exist_ok=True)
            os.chmod(d, 0o700)
        try:
            self._start_bus(timeout)
            self._start_keyring(timeout)
            self._verify()
        except BaseException:
            self.stop()
            raise

    def _spawn(self, name: str, argv: list[str], stdin: int | None, stdout: int | None) -> _Group:
        log = self.root / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                argv, stdin=stdin, stdout=stdout if stdout is not None else out, stderr=out,
                env=self._daemon_env(), cwd=self.root, start_new_session=True,
            )  # fmt: skip
        return _Group(popen, name, log)

    def _start_bus(self, timeout: float) -> None:
        config = self.root / "bus.conf"
        config.write_text(_BUS_CONFIG.format(socket=self.socket))
        self._bus = self._spawn(
            "dbus-daemon",
            ["dbus-daemon", f"--config-file={config}", "--print-address=1", "--nofork", "--nopidfile"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        )  # fmt: skip
        assert self._bus.popen.stdout is not None
        line = _readline(self._bus.popen.stdout, timeout)
        self._bus.popen.stdout.close()
        if not line.startswith("unix:"):
            raise SecretServiceError(f"dbus-daemon printed no bus address; log:\n{self._bus.log_tail()}")
        self.address = line.strip()

    def _start_keyring(self, timeout: float) -> None:
        self._keyring = self._spawn(
            "gnome-keyring-daemon",
            ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground"],
            stdin=subprocess.PIPE, stdout=None,
        )  # fmt: skip
        assert self._keyring.popen.stdin is not None
        # --unlock reads the login keyring's password from stdin until EOF; creates it if missing.
        self._keyring.popen.stdin.write(KEYRING_PASSWORD.encode())
        self._keyring.popen.stdin.close()
        deadline = time.monotonic() + timeout
        while not self._name_has_owner(SERVICE_NAME):
            if self._keyring.popen.poll() is not None:
                raise SecretServiceError(
                    f"gnome-keyring-daemon exited with code {self._keyring.popen.returncode}; "
                    f"log:\n{self._keyring.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise SecretServiceError(
                    f"gnome-keyring-daemon did not take {SERVICE_NAME} on the bus within {timeout:.0f} s; "
                    f"log:\n{self._keyring.log_tail()}"
                )
            time.sleep(0.05)

    def _verify(self) -> None:
        alias = self.dbus_call(
            "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.ReadAlias", "string:default",
            dest=SERVICE_NAME,
        )  # fmt: skip
        if "/org/freedesktop/secrets/collection/login" not in alias:
            raise SecretServiceError(f"the default keyring collection is not 'login': {alias.strip()}")
        attrs = ["service", "octasip-test-probe", "username", "probe"]
        self.secret_tool("store", "--label=OctaSIP test probe", *attrs, input="probe-secret")
        found = self.secret_tool("lookup", *attrs)
        if found != "probe-secret":
            raise SecretServiceError(f"secret-tool lookup returned {found!r} after store (keyring locked?)")
        self.secret_tool("clear", *attrs)

    def stop(self) -> None:
        errors = []
        for group in (self._keyring, self._bus):
            if group is None:
                continue
            try:
                group.stop()
            except SecretServiceError as e:
                errors.append(str(e))
        self._keyring = self._bus = None
        if errors:
            raise SecretServiceError("; ".join(errors))

    # ------------------------------------------------------------------ helpers
    def secret_tool(self, *args: str, input: str | None = None, check: bool = True) -> str:
        """Run secret-tool against this service; return its stdout."""
        proc = subprocess.run(
            ["secret-tool", *args], input=input if input is not None else "", capture_output=True, text=True,
            env=self._daemon_env(), timeout=30,
        )  # fmt: skip
        if check and proc.returncode != 0:
            raise SecretServiceError(f"secret-tool {args[0]} failed ({proc.returncode}): {proc.stderr.strip()}")
        return proc.stdout

    def search(self, attribute_service: str = "OctaSIP") -> list[dict[str, str]]:
        """Every item with attribute service=``attribute_service``, found by ``secret-tool search --all``.

        Each item is a dict with path, label, secret, created, modified and ``attribute.<name>`` keys.
        secret-tool prints attributes on stderr and the rest on stdout; stdbuf makes stdout unbuffered
        so the merged stream keeps each item's lines together.
        """
        proc = subprocess.run(
            ["stdbuf", "-o0", "-e0", "secret-tool", "search", "--all", "service", attribute_service],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=self._daemon_env(), timeout=30,
        )  # fmt: skip
        items: list[dict[str, str]] = []
        for line in proc.stdout.splitlines():
            if line.startswith("[") and line.rstrip().endswith("]"):
                items.append({"path": line.strip()[1:-1]})
            elif " = " in line and items:
                key, _, value = line.partition(" = ")
                items[-1][key.strip()] = value
            elif line.strip():
                raise SecretServiceError(f"unexpected secret-tool search output: {line!r}")
        return items

    def clear(self, attribute_service: str = "OctaSIP") -> None:
        """Delete every item with attribute service=``attribute_service``."""
        self.secret_tool("clear", "service", attribute_service, check=False)

    def lock(self) -> None:
        """Lock the login collection, as the desktop does on screen lock. No prompter exists on this bus,
        so a later unlock attempt fails the way a dismissed unlock prompt does."""
        self.dbus_call(
            "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login", dest=SERVICE_NAME,
        )  # fmt: skip

    def _name_has_owner(self, name: str) -> bool:
        out = self.dbus_call(
            "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}",
            dest="org.freedesktop.DBus", check=False,
        )  # fmt: skip
        return "boolean true" in out

    def dbus_call(self, path: str, method: str, *args: str, dest: str, check: bool = True) -> str:
        proc = subprocess.run(
            ["dbus-send", f"--bus={self.address}", "--print-reply", f"--dest={dest}", path, method, *args],
            capture_output=True, text=True, env=self._daemon_env(), timeout=10,
        )  # fmt: skip
        if check and proc.returncode != 0:
            raise SecretServiceError(f"dbus-send {method} failed: {proc.stderr.strip()}")
        return proc.stdout


def _readline(stream, timeout: float) -> str:
    """One line from a pipe, or '' after ``timeout`` seconds."""
    import selectors

    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    buf = b""
    deadline = time.monotonic() + timeout
    try:
        while b"\n" not in buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not sel.select(remaining):
                break
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
    finally:
        sel.close()
    return buf.decode(errors="replace").split("\n", 1)[0]
