"""Engine in the GUI's process or in its own (octasip.host)? Frame lateness during a call with real
devices (QtMultimedia on a private PulseAudio) to baresip over TLS + SRTP, while the calling process
does GUI-like Python work: build, sort and drop 100k history rows, continuously. Targets: p99
lateness <= 5 ms, no frame > 40 ms late. Prints both set-ups, measured in the same run.

Usage: .venv/bin/python benchmarks/bench_host_lateness.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import queue
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._lab import alice, audio_lab
from tests.engine_harness import gui_like_load, wait_event


class InProcessEngine:
    """The engine and the device audio in this process, as a GUI would have them without the host."""

    def __init__(self, settings, password_for, on_event) -> None:
        from octasip.audio_qt_io import DeviceAudio
        from octasip.engine import Engine
        from octasip.engine.audio_port import FrameBuffer
        from octasip.headless import DeviceWiring

        buffers = (FrameBuffer(), FrameBuffer())
        self.wiring = DeviceWiring(DeviceAudio(*buffers))
        self.engine = Engine(settings, password_for, lambda ev: (self.wiring.handle(ev), on_event(ev)), None,
                             buffers)
        self.start, self.submit, self.new_call_id = self.engine.start, self.engine.submit, self.engine.new_call_id

    def stop(self) -> None:
        self.engine.stop()
        self.wiring.close()


def run(engine_factory, kam, seconds: float) -> tuple[object, object]:
    from octasip.core import commands as cmd
    from octasip.core.events import AudioStats, CallChanged, CallEnded, CallState, RegistrationChanged, RegState

    q: queue.Queue = queue.Queue()
    engine = engine_factory(q.put)
    engine.start()

    def wait(pred):
        return wait_event(q, pred, timeout=20.0)

    try:
        engine.submit(cmd.AddAccount(alice(kam)))
        wait(lambda e: isinstance(e, RegistrationChanged) and e.state is RegState.REGISTERED)
        cid = engine.new_call_id()
        engine.submit(cmd.MakeCall(1, "bob", cid))
        wait(lambda e: isinstance(e, CallChanged) and e.call_id == cid and e.state is CallState.CONFIRMED)
        gui_like_load(seconds)
        engine.submit(cmd.Hangup(cid))
        got: dict = {}
        wait(lambda e: got.setdefault(type(e).__name__, e) is not None and {"CallEnded", "AudioStats"} <= got.keys())
        assert isinstance(got["CallEnded"], CallEnded) and isinstance(got["AudioStats"], AudioStats)
        return got["CallEnded"], got["AudioStats"]
    finally:
        engine.stop()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=20.0)
    args = p.parse_args()
    with audio_lab("octasip-host-") as kam:
        from octasip.engine import EngineSettings
        from octasip.host import DeviceChoice, RemoteEngine

        settings = EngineSettings(bind_address="127.0.0.1")
        password = {1: kam.users["alice"]}
        results = {
            "engine in the GUI's process": run(
                lambda on_event: InProcessEngine(settings, password.get, on_event), kam, args.seconds),
            "engine in its own process (octasip.host)": run(
                lambda on_event: RemoteEngine(settings, on_event, devices=DeviceChoice(), passwords=password),
                kam, args.seconds),
        }
    print(f"Frame lateness during a call with real devices, {args.seconds:.0f} s of GUI-like load"
          " (100k rows built, sorted, dropped, in a loop) in the calling process:")
    for name, (end, stats) in results.items():
        print(f"  {name}: {stats.frames} frames, p99 late {stats.late_p99_ms} ms, max {stats.late_max_ms} ms,"
              f" {stats.frames_late} frames > 40 ms late; call {end.code} {end.reason}"
              f" (targets: p99 <= 5 ms, none > 40 ms)")


if __name__ == "__main__":
    main()
