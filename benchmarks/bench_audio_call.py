"""CPU during a call with real devices (issue 3): OctaSIP calls baresip over TLS + SRTP through
Kamailio, microphone and speaker through QtMultimedia on a private PulseAudio daemon. Measured
in-process over the middle of the call: CPU % of one core, wakeups/s, RSS. Target: CPU < 5 %.

Usage: .venv/bin/python benchmarks/bench_audio_call.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._octasip_worker import ctx_switches, rss_kib  # noqa: E402
from tests.servers.baresip import Baresip  # noqa: E402
from tests.servers.kamailio import Kamailio  # noqa: E402
from tests.servers.pki import make_test_pki  # noqa: E402
from tests.servers.pulseaudio import PulseAudio, write_tone_wav  # noqa: E402


def cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=30.0)
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="octasip-callcpu-"))
    pki = make_test_pki(work / "pki")
    with PulseAudio(work / "pulse", mic_wav=write_tone_wav(work / "mic.wav", 440)) as pulse, \
            Kamailio(pki, work / "kam") as kam, \
            Baresip(kam, work / "bob", user="bob", transport="udp", sip_trace=False):
        os.environ.update(pulse.env)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from octasip.core.models import AccountConfig
        from octasip.engine import EngineSettings
        from octasip.headless import Session

        acc = AccountConfig(uri="sip:alice@127.0.0.1", id=1, registrar=f"sip:127.0.0.1:{kam.tls_port}",
                            transport="tls", ca_file=str(pki.ca_cert))
        with Session(acc, kam.users["alice"], EngineSettings(bind_address="127.0.0.1"), devices=True) as s:
            s.register()
            result: dict = {}
            t = threading.Thread(target=lambda: result.update(summary=s.call("bob", args.seconds + 4)))
            t.start()
            time.sleep(2.0)  # call set up, audio flowing
            c0, w0, t0 = cpu_s(), ctx_switches(), time.monotonic()
            time.sleep(args.seconds)
            c1, w1, t1 = cpu_s(), ctx_switches(), time.monotonic()
            rss = rss_kib() / 1024
            t.join(30)
    summary = result["summary"]
    print(f"Call with microphone and speaker (QtMultimedia on PulseAudio), TLS + SRTP ({summary.srtp}),"
          f" codec {summary.codec}, {args.seconds:.0f} s:")
    print(f"  CPU {100 * (c1 - c0) / (t1 - t0):.2f}% of one core (target < 5%),"
          f" {(w1 - w0) / (t1 - t0):.0f} wakeups/s, RSS {rss:.1f} MiB")


if __name__ == "__main__":
    main()
