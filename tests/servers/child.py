"""A Python child process (``python -m <module> <args>``, Qt offscreen) spoken to in JSON lines.

The parent sends commands on the child's stdin (``send(cmd, **args)``: ``{"cmd": cmd, ...}``) and waits
for events on its stdout (``expect(event)``); the child writes each event with ``emit(event, **data)``:
``{"event": event, ...}``, one line each. The child's stderr goes to a file, quoted when a wait fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


class JsonLinesChild:
    label = "child"  # what failure messages call it
    fail_on_error = False  # an "error" event fails a wait for any other event

    def __init__(self, module: str, *args: str, stderr_path: Path) -> None:
        self.stderr_path = stderr_path
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        with self.stderr_path.open("wb") as err:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True,
            )  # fmt: skip
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, cmd: str, **args: Any) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.popen.stdin.flush()

    def expect(self, event: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"{self.label}: no {event!r} within {timeout} s; stderr:\n{self.stderr()}") from None
            if line is None:
                raise AssertionError(
                    f"{self.label} exited ({self.popen.wait()}) before {event!r}; stderr:\n{self.stderr()}")
            message = json.loads(line)
            if message["event"] == event:
                return message
            if self.fail_on_error and message["event"] == "error" and event != "error":
                raise AssertionError(f"{self.label} error while waiting for {event!r}: {message}")

    def finish(self, timeout: float = 10.0) -> int:
        """Send ``exit`` and close stdin; the exit code."""
        with contextlib.suppress(BrokenPipeError):
            self.send("exit")
            assert self.popen.stdin is not None
            self.popen.stdin.close()
        return self.popen.wait(timeout=timeout)

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=5)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-3000:]


def emit(event: str, **data: Any) -> None:
    """In the child: one event to the parent."""
    print(json.dumps({"event": event, **data}), flush=True)
