"""The engine host process: the GUI's side talks to SIP and audio only through RemoteEngine."""

from __future__ import annotations

import os
import queue
import signal

import pytest

from octasip.core import commands as cmd
from octasip.core.events import (
    CallChanged,
    CallState,
    EngineError,
    EngineStopped,
    RegistrationChanged,
    RegState,
)
from octasip.engine import EngineSettings
from octasip.host import DeviceChoice, RemoteEngine
from tests.engine_harness import account, gui_like_load, wait_event
from tests.servers.baresip import Baresip

pytestmark = pytest.mark.real


wait = wait_event


def registered_remote(kam, q: queue.Queue, **kw) -> RemoteEngine:
    """A started host with alice registered over UDP (no audio devices unless asked)."""
    remote = RemoteEngine(EngineSettings(bind_address="127.0.0.1"), q.put, passwords={1: "alice-secret"}, **kw)
    remote.start()
    remote.submit(cmd.AddAccount(account(kam, transport="udp")))
    wait(q, lambda e: isinstance(e, RegistrationChanged) and e.state is RegState.REGISTERED)
    return remote


def test_call_through_the_host_with_devices_under_gui_load(pulseaudio, kam, tmp_path):
    q: queue.Queue = queue.Queue()
    remote = RemoteEngine(EngineSettings(bind_address="127.0.0.1"), q.put, devices=DeviceChoice(),
                          passwords={1: "alice-secret"})
    remote.start()
    try:
        with Baresip(kam, tmp_path / "bob", user="bob", transport="udp"):
            remote.submit(cmd.AddAccount(account(kam)))
            wait(q, lambda e: isinstance(e, RegistrationChanged) and e.state is RegState.REGISTERED)
            cid = remote.new_call_id()
            remote.submit(cmd.MakeCall(1, "bob", cid))
            wait(q, lambda e: isinstance(e, CallChanged) and e.call_id == cid and e.state is CallState.CONFIRMED)
            assert pulseaudio.wait_source_outputs(1, timeout=10)
            gui_like_load(8.0)  # the GIL of *this* process is busy; the host keeps time
            remote.submit(cmd.Hangup(cid))
            got: dict = {}
            wait(q, lambda e: got.setdefault(type(e).__name__, e) is not None
                 and {"CallEnded", "AudioStats"} <= got.keys())
            end, stats = got["CallEnded"], got["AudioStats"]
        assert end.answered and end.media.srtp_suite
        assert stats.frames > 300
        assert stats.frames_late == 0, stats  # no audible glitch; the p99 figure is benchmark work
        # (benchmarks/bench_host_lateness.py), not a timed test: under the whole suite's load it moved
        # between 1.4 and 11.5 ms.
    finally:
        remote.stop()
    assert not remote.running


def test_host_crash_is_reported(kam):
    q: queue.Queue = queue.Queue()
    remote = registered_remote(kam, q)
    assert remote.pid is not None
    os.kill(remote.pid, signal.SIGKILL)
    err = wait(q, lambda e: isinstance(e, EngineError))
    assert "stopped unexpectedly" in err.message
    wait(q, lambda e: isinstance(e, EngineStopped))
    remote.stop()


def test_parent_exit_unregisters(kam):
    """Stopping the remote engine unregisters in the host before it exits (Expires: 0 at Kamailio)."""
    q: queue.Queue = queue.Queue()
    remote = registered_remote(kam, q)
    kam.wait_registered("alice")
    mark = kam.log_mark()
    remote.stop()
    kam.wait_for_log(r"REGISTER.*alice.*[Ee]xpires[=: ]+0", since=mark)
