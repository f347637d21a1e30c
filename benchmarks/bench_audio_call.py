"""CPU during a call with real devices (issue 3): OctaSIP calls baresip over TLS + SRTP through
Kamailio, microphone and speaker through QtMultimedia on a private PulseAudio daemon. Measured
in-process over the middle of the call: CPU % of one core, wakeups/s, RSS. Target: CPU < 5 %.

Usage: .venv/bin/python benchmarks/bench_audio_call.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._lab import alice, audio_lab
from benchmarks._octasip_worker import cpu_s, ctx_switches, rss_kib


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=30.0)
    args = p.parse_args()
    with audio_lab("octasip-callcpu-") as kam:
        from octasip.engine import EngineSettings
        from octasip.headless import Session

        acc = alice(kam)
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
