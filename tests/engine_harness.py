"""A real OctaSIP Engine in the test process, with helpers to wait for its events."""

from __future__ import annotations

import math
import queue
import struct
import time
import wave
from collections.abc import Callable
from pathlib import Path

from octasip.core import commands as cmd
from octasip.core.events import CallChanged, CallEnded, CallState, Event, IncomingCall, RegistrationChanged, RegState
from octasip.core.models import AccountConfig
from octasip.engine import Engine, EngineSettings
from tests.servers.baresip import Baresip
from tests.servers.kamailio import Kamailio

OUR_TONE = 440
BOB_TONE = 1000


class Harness:
    def __init__(self, settings: EngineSettings, passwords: dict[int, str] | None = None,
                 recording_key: Callable[[], bytes | None] | None = None) -> None:
        self.passwords = dict(passwords or {})
        self.q: queue.Queue[Event] = queue.Queue()
        self.history: list[Event] = []
        self._used: set[int] = set()  # ids of history events already returned by expect()
        self.engine = Engine(settings, self.passwords.get, self.q.put, recording_key=recording_key)

    def start(self) -> Harness:
        self.engine.start()
        return self

    def stop(self) -> None:
        self.engine.stop()

    def submit(self, command: cmd.Command) -> None:
        self.engine.submit(command)

    def expect(self, pred: Callable[[Event], bool], timeout: float = 10.0, what: str = "event") -> Event:
        """Wait for an event matching `pred` (earlier events are kept in `history`)."""
        for ev in self.history:
            if id(ev) not in self._used and pred(ev):
                self._used.add(id(ev))
                return ev
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                recent = [f"{type(e).__name__}:{getattr(e, 'state', '')}{getattr(e, 'message', '')}"
                          for e in self.history[-15:] if type(e).__name__ != "CallQualityUpdated"]
                raise AssertionError(f"timed out waiting for {what}; recent events: {recent}")
            try:
                ev = self.q.get(timeout=left)
            except queue.Empty:
                continue
            self.history.append(ev)
            if pred(ev):
                self._used.add(id(ev))
                return ev

    def drain(self, seconds: float) -> list[Event]:
        end = time.monotonic() + seconds
        got = []
        while (left := end - time.monotonic()) > 0:
            try:
                ev = self.q.get(timeout=left)
            except queue.Empty:
                break
            self.history.append(ev)
            got.append(ev)
        return got

    # ---- accounts
    def add_account(self, cfg: AccountConfig, password: str | None = None) -> None:
        if password is not None:
            self.passwords[cfg.id] = password
        self.submit(cmd.AddAccount(cfg))

    def reg(self, account_id: int, *states: RegState, timeout: float = 10.0) -> RegistrationChanged:
        ev = self.expect(lambda e: isinstance(e, RegistrationChanged) and e.account_id == account_id
                         and e.state in states, timeout, f"registration {states} of account {account_id}")
        assert isinstance(ev, RegistrationChanged)
        return ev

    def register(self, cfg: AccountConfig, password: str | None, timeout: float = 10.0) -> RegistrationChanged:
        self.add_account(cfg, password)
        ev = self.reg(cfg.id, RegState.REGISTERED, RegState.FAILED, timeout=timeout)
        assert ev.state is RegState.REGISTERED, f"registration failed: {ev.code} {ev.reason}"
        return ev

    # ---- calls
    def call(self, account_id: int, target: str) -> int:
        call_id = self.engine.new_call_id()
        self.submit(cmd.MakeCall(account_id, target, call_id))
        return call_id

    def call_state(self, call_id: int, state: CallState, timeout: float = 10.0) -> CallChanged:
        ev = self.expect(lambda e: isinstance(e, CallChanged) and e.call_id == call_id and e.state is state,
                         timeout, f"call {call_id} {state}")
        assert isinstance(ev, CallChanged)
        return ev

    def ended(self, call_id: int, timeout: float = 10.0) -> CallEnded:
        ev = self.expect(lambda e: isinstance(e, CallEnded) and e.call_id == call_id, timeout, f"end of {call_id}")
        assert isinstance(ev, CallEnded)
        return ev

    def incoming(self, timeout: float = 10.0) -> IncomingCall:
        ev = self.expect(lambda e: isinstance(e, IncomingCall), timeout, "incoming call")
        assert isinstance(ev, IncomingCall)
        return ev

    def udp_port(self) -> int:
        from octasip.core.events import EngineStarted

        ev = self.expect(lambda e: isinstance(e, EngineStarted), 1, "engine start")
        return int(ev.listen["udp"].rsplit(":", 1)[1])  # type: ignore[attr-defined]


def write_tone(path: Path, hz: float, seconds: float = 3.0, rate: int = 16000, amplitude: float = 0.3) -> Path:
    n = int(seconds * rate)
    frames = b"".join(struct.pack("<h", int(32767 * amplitude * math.sin(2 * math.pi * hz * i / rate)))
                      for i in range(n))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def contains_tone(path: Path, hz: float, skip_seconds: float = 0.5, ratio: float = 20.0) -> bool:
    """True if `hz` stands out of the spectrum (mixtures allowed), not just the single strongest tone."""
    from tests.servers.audio import read_wav_mono, samples_contain_tone

    samples, rate = read_wav_mono(path)
    return samples_contain_tone(samples[int(skip_seconds * rate):], rate, hz, ratio)


def account(kam: Kamailio, user: str = "alice", transport: str = "tls", account_id: int = 1, **kw) -> AccountConfig:
    registrar = f"sip:{kam.host}:{kam.port(transport)}"
    return AccountConfig(uri=f"sip:{user}@{kam.domain}", id=account_id, registrar=registrar, transport=transport,
                         ca_file=str(kam.pki.ca_cert), **kw)


def peer(kam: Kamailio, tmp_path: Path, user: str = "bob", **kw) -> Baresip:
    return Baresip(kam, tmp_path / f"baresip-{user}", user=user, **kw)


def wait_wav(path: Path, min_seconds: float = 1.0, timeout: float = 5.0) -> Path:
    """The WAV header is written when PJSIP's recorder port is released (just after the call)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with wave.open(str(path), "rb") as w:
                if w.getnframes() >= w.getframerate() * min_seconds:
                    return path
        except (wave.Error, EOFError, FileNotFoundError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{path.name} was not completed")


def connected_call(h: Harness, kam: Kamailio, target: str = "bob", account_id: int = 1) -> int:
    cid = h.call(account_id, f"sip:{target}@{kam.domain}")
    ev = h.call_state(cid, CallState.CONFIRMED)
    assert ev.media.active or ev.media.codec
    return cid


def gui_like_load(seconds: float) -> None:
    """What a busy GUI thread does: build, sort and drop 100k history rows, again and again."""
    import random

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        rows = [(random.random(), f"sip:{i}@example.com", i) for i in range(100_000)]
        rows.sort()
        del rows


def wait_event(q: queue.Queue, pred: Callable[[Event], bool], timeout: float = 15.0) -> Event:
    """The first event from `q` matching `pred`; earlier ones are dropped (named in the failure)."""
    end = time.monotonic() + timeout
    seen: list[str] = []
    while (left := end - time.monotonic()) > 0:
        try:
            ev = q.get(timeout=left)
        except queue.Empty:
            break
        if pred(ev):
            return ev
        seen.append(f"{type(ev).__name__}:{getattr(ev, 'state', '')}{getattr(ev, 'reason', '')}")
    raise AssertionError(f"timed out waiting for an event; saw {seen[-12:]}")
