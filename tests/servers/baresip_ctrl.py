"""Client for baresip's ctrl_tcp module: netstring-framed JSON commands, responses and events."""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from typing import Any

from tests.servers.process import ServerError


def encode_netstring(payload: bytes) -> bytes:
    return str(len(payload)).encode() + b":" + payload + b","


class NetstringDecoder:
    """Incremental netstring decoder: feed bytes, get complete payloads."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        out: list[bytes] = []
        while True:
            colon = self._buffer.find(b":")
            if colon < 0:
                return out
            length = int(self._buffer[:colon])
            end = colon + 1 + length
            if len(self._buffer) < end + 1:
                return out
            if self._buffer[end : end + 1] != b",":
                raise ServerError("ctrl_tcp: malformed netstring")
            out.append(self._buffer[colon + 1 : end])
            self._buffer = self._buffer[end + 1 :]


class CtrlTcpClient:
    """One persistent connection to ctrl_tcp. A reader thread files responses by token and keeps events."""

    def __init__(self, host: str, port: int) -> None:
        self._sock = socket.create_connection((host, port), timeout=5)
        self._sock.settimeout(None)
        self._lock = threading.Condition()
        self._responses: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._tokens = itertools.count(1)
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, name=f"ctrl_tcp:{port}", daemon=True)
        self._reader.start()

    def _read_loop(self) -> None:
        decoder = NetstringDecoder()
        while True:
            try:
                data = self._sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            for payload in decoder.feed(data):
                message = json.loads(payload.decode(errors="replace"))
                with self._lock:
                    if message.get("response"):
                        self._responses[str(message.get("token"))] = message
                    elif message.get("event"):
                        message["_time"] = time.monotonic()
                        self.events.append(message)
                    self._lock.notify_all()
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    def command(self, name: str, params: str = "", timeout: float = 5.0) -> dict[str, Any]:
        token = f"t{next(self._tokens)}"
        request = json.dumps({"command": name, "params": params, "token": token}).encode()
        self._sock.sendall(encode_netstring(request))
        deadline = time.monotonic() + timeout
        with self._lock:
            while token not in self._responses:
                remaining = deadline - time.monotonic()
                if self._closed or remaining <= 0:
                    raise ServerError(f"baresip ctrl_tcp: no response to {name!r} within {timeout:.1f} s")
                self._lock.wait(remaining)
            return self._responses.pop(token)

    def wait_for_event(self, event_type: str, timeout: float = 10.0, start: int = 0) -> dict[str, Any]:
        """First event of ``event_type`` (e.g. ``CALL_ESTABLISHED``) at index >= ``start`` in ``events``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for event in self.events[start:]:
                    if event.get("type") == event_type:
                        return event
                remaining = deadline - time.monotonic()
                if self._closed or remaining <= 0:
                    seen = [e.get("type") for e in self.events[start:]]
                    raise ServerError(f"baresip: no {event_type} event within {timeout:.1f} s (seen: {seen})")
                self._lock.wait(remaining)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        self._reader.join(timeout=2)
