"""A child process in its own process group, with its output in a log file and a clean stop."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

POLL = 0.05
_live: set[ManagedProcess] = set()


class ServerError(RuntimeError):
    """A test server failed to start, died, or did not do what a test waited for."""


class ManagedProcess:
    """Runs ``argv`` in a new session (so it and every child it forks share one process group).

    stdout goes to ``log_path``, stderr too unless ``stderr_path`` is given. ``stop()`` signals the
    whole group and waits until no process of the group is left, escalating from SIGTERM to SIGKILL.
    The child runs under ``setpriv --pdeathsig <death_signal>``: if the test process dies without
    cleaning up (SIGKILL, a pjsua2 abort), the server still gets that signal. The signal fires when the *thread* that
    called ``start()`` exits, so start servers from a long-lived thread (the pytest main thread).
    """

    def __init__(
        self,
        argv: Sequence[str],
        log_path: Path,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        stderr_path: Path | None = None,
        death_signal: str = "TERM",
    ) -> None:
        self.argv = list(argv)
        self.log_path = log_path
        self.stderr_path = stderr_path
        self.death_signal = death_signal
        self.cwd = cwd
        self.env = env
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    def start(self) -> None:
        if self.running():
            raise ServerError(f"{self.argv[0]} is already running")
        setpriv = shutil.which("setpriv")
        argv = [setpriv, "--pdeathsig", self.death_signal, "--", *self.argv] if setpriv else self.argv
        with self.log_path.open("ab") as log, (self.stderr_path or Path(os.devnull)).open("ab") as err:
            self._popen = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log,
                stderr=err if self.stderr_path else subprocess.STDOUT,
                cwd=self.cwd, env=self.env, start_new_session=True,
            )  # fmt: skip
        _live.add(self)

    def running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def returncode(self) -> int | None:
        return self._popen.poll() if self._popen else None

    def group_alive(self) -> bool:
        """True while any process of the group (the leader or a forked child) still exists."""
        if self._popen is None:
            return False
        self._popen.poll()  # reap the leader if it has exited
        try:
            os.killpg(self._popen.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def stop(self, timeout: float = 5.0, term_signals: int = 1) -> None:
        """SIGTERM the group ``term_signals`` times (``timeout`` split between them), then SIGKILL."""
        if self._popen is None:
            return
        steps = [(signal.SIGTERM, timeout / term_signals)] * term_signals + [(signal.SIGKILL, 5.0)]
        for sig, wait in steps:
            if not self.group_alive():
                break
            try:
                os.killpg(self._popen.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while self.group_alive() and time.monotonic() < deadline:
                time.sleep(POLL)
        if self.group_alive():
            raise ServerError(f"process group {self._popen.pid} ({self.argv[0]}) survived SIGKILL")
        self._popen.wait(timeout=5)
        _live.discard(self)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def wait_for_log(self, pattern: str | re.Pattern[str], timeout: float = 10.0, since: int = 0) -> re.Match[str]:
        """Wait until ``pattern`` matches the log (from byte offset ``since``); return the match."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            with self.log_path.open("rb") as log:
                log.seek(since)
                text = log.read().decode(errors="replace")
            match = regex.search(text)
            if match:
                return match
            if time.monotonic() >= deadline:
                raise ServerError(
                    f"{Path(self.argv[0]).name}: no log line matched {regex.pattern!r} within {timeout:.1f} s; "
                    f"log tail:\n{text[-3000:]}"
                )
            if not self.running():
                raise ServerError(
                    f"{Path(self.argv[0]).name} exited (code {self.returncode()}) while waiting for "
                    f"{regex.pattern!r}; log tail:\n{text[-3000:]}"
                )
            time.sleep(POLL)


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``predicate`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise ServerError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(POLL)


@atexit.register
def _kill_leftovers() -> None:
    """Safety net: no test server outlives the Python process, even if a test forgot to stop it."""
    for process in list(_live):
        with contextlib.suppress(Exception):
            process.stop(timeout=1.0)
