"""Engine in the GUI's process or in its own (octasip.host)? Frame lateness during a call with real
devices (QtMultimedia on a private PulseAudio) to baresip over TLS + SRTP, while the calling process
does GUI-like Python work: build, sort and drop 100k history rows, continuously. Targets: p99
lateness <= 5 ms, no frame > 40 ms late. Prints both set-ups, measured in the same run.

Usage: .venv/bin/python benchmarks/bench_host_lateness.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.engine_harness import gui_like_load  # noqa: E402
from tests.servers.baresip import Baresip  # noqa: E402
from tests.servers.kamailio import Kamailio  # noqa: E402
from tests.servers.pki import make_test_pki  # noqa: E402
from tests.servers.pulseaudio import PulseAudio, write_tone_wav  # noqa: E402


def run(engine_factory, kam, seconds: float) -> tuple[object, object]:
    from octasip.core import commands as cmd
    from octasip.core.events import AudioStats, CallChanged, CallEnded, CallState, RegistrationChanged, RegState
    from octasip.core.models import AccountConfig

    q: queue.Queue = queue.Queue()
    engine = engine_factory(q.put)
    engine.start()

    def wait(pred, timeout=20.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                ev = q.get(timeout=0.5)
            except queue.Empty:
                continue
            if pred(ev):
                return ev
        raise SystemExit("timed out")

    try:
        acc = AccountConfig(uri="sip:alice@127.0.0.1", id=1, registrar=f"sip:127.0.0.1:{kam.tls_port}",
                            transport="tls", ca_file=str(kam.pki.ca_cert))
        engine.submit(cmd.AddAccount(acc))
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
    work = Path(tempfile.mkdtemp(prefix="octasip-host-"))
    pki = make_test_pki(work / "pki")
    with PulseAudio(work / "pulse", mic_wav=write_tone_wav(work / "mic.wav", 440)) as pulse, \
            Kamailio(pki, work / "kam") as kam, \
            Baresip(kam, work / "bob", user="bob", transport="udp", sip_trace=False):
        os.environ.update(pulse.env)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from octasip.engine import Engine, EngineSettings
        from octasip.host import DeviceChoice, RemoteEngine

        settings = EngineSettings(bind_address="127.0.0.1")
        password = {1: kam.users["alice"]}

        def in_process(on_event):
            from octasip.audio_qt_io import DeviceAudio
            from octasip.engine.audio_port import FrameBuffer
            from octasip.headless import DeviceWiring

            buffers = (FrameBuffer(), FrameBuffer())
            wiring = DeviceWiring(DeviceAudio(*buffers))

            def both(ev):
                wiring.handle(ev)
                on_event(ev)

            eng = Engine(settings, password.get, both, None, buffers)
            eng.wiring = wiring  # closed below
            return eng

        results = {}
        eng_holder = {}

        def make_in_process(on_event):
            eng_holder["e"] = in_process(on_event)
            return eng_holder["e"]

        results["engine in the GUI's process"] = run(make_in_process, kam, args.seconds)
        eng_holder["e"].wiring.close()
        results["engine in its own process (octasip.host)"] = run(
            lambda on_event: RemoteEngine(settings, on_event, devices=DeviceChoice(), passwords=password),
            kam, args.seconds)
    print(f"Frame lateness during a call with real devices, {args.seconds:.0f} s of GUI-like load"
          " (100k rows built, sorted, dropped, in a loop) in the calling process:")
    for name, (end, stats) in results.items():
        print(f"  {name}: {stats.frames} frames, p99 late {stats.late_p99_ms} ms, max {stats.late_max_ms} ms,"
              f" {stats.frames_late} frames > 40 ms late; call {end.code} {end.reason}"
              f" (targets: p99 <= 5 ms, none > 40 ms)")


if __name__ == "__main__":
    main()
