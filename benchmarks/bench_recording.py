"""Call recording (issue 6): what it costs.

1. Encryption throughput: `RecordingWriter` (AES-256-GCM, 0.5 s chunks) writing stereo 16 kHz PCM
   in 20 ms frames, as the recording writer does, to a file; MB/s and the factor over real time
   (a recording needs 64 kB/s).
2. CPU cost during a call: OctaSIP calls baresip over TLS + SRTP through Kamailio (loopback), the
   same call measured without and with recording (stereo, announcement on), alternating; the
   process's CPU time over the middle of the call, in % of one core. Target: below 2 % more.

Usage: .venv/bin/python benchmarks/bench_recording.py [--seconds 20] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._octasip_worker import cpu_s


def throughput(seconds: float = 600.0) -> None:
    from octasip.privacy.recording_format import AudioFormat, RecordingWriter

    fmt = AudioFormat(16000, 2, 2)
    frame = os.urandom(fmt.frame_bytes * 320)  # 20 ms of stereo
    frames = int(seconds / 0.02)
    with tempfile.TemporaryDirectory() as tmp:
        w = RecordingWriter(Path(tmp) / "bench.octarec", secrets.token_bytes(32), "bench", fmt)
        t0, c0 = time.perf_counter(), cpu_s()
        for _ in range(frames):
            w.write(frame)
        w.close()
        t1, c1 = time.perf_counter(), cpu_s()
    mb = len(frame) * frames / 1e6
    rate = mb / (t1 - t0)
    realtime = fmt.rate * fmt.frame_bytes / 1e6
    print(f"Encryption throughput: {seconds:.0f} s of stereo 16 kHz ({mb:.1f} MB) in {1000 * (t1 - t0):.0f} ms "
          f"(CPU {1000 * (c1 - c0):.0f} ms): {rate:.0f} MB/s = {rate / realtime:,.0f} x real time")


def call_cpu(seconds: float, rounds: int) -> None:
    from benchmarks._lab import alice
    from octasip.core import commands as cmd
    from octasip.core.events import RecordingStarted, RecordingStopped
    from octasip.engine import EngineSettings
    from tests.engine_harness import Harness, connected_call, write_tone
    from tests.servers.baresip import Baresip
    from tests.servers.kamailio import Kamailio
    from tests.servers.pki import make_test_pki

    work = Path(tempfile.mkdtemp(prefix="octasip-benchrec-"))
    master = secrets.token_bytes(32)
    tone = write_tone(work / "tone.wav", 440, seconds=2.0)
    results: dict[bool, list[float]] = {False: [], True: []}
    with Kamailio(make_test_pki(work / "pki"), work / "kam") as kam, \
            Baresip(kam, work / "bob", user="bob", sip_trace=False):
        h = Harness(EngineSettings(bind_address="127.0.0.1", play_wav=tone), recording_key=lambda: master).start()
        try:
            h.register(alice(kam), kam.users["alice"])
            for i in range(rounds * 2):
                record = i % 2 == 1
                call_id = connected_call(h, kam)
                if record:
                    rid = f"bench{i}"
                    h.submit(cmd.StartRecording(call_id, rid, str(work / f"{rid}.octarec")))
                    h.expect(lambda e, rid=rid: isinstance(e, RecordingStarted) and e.recording_id == rid)
                time.sleep(2.0)  # the announcement is over, audio steady
                c0, t0 = cpu_s(), time.monotonic()
                time.sleep(seconds)
                c1, t1 = cpu_s(), time.monotonic()
                results[record].append(100 * (c1 - c0) / (t1 - t0))
                h.submit(cmd.Hangup(call_id))
                if record:
                    stopped = h.expect(lambda e: isinstance(e, RecordingStopped))
                    assert not stopped.error and not stopped.dropped_frames, stopped
                h.ended(call_id)
        finally:
            h.stop()
    plain, rec = (sum(v) / len(v) for v in (results[False], results[True]))
    print(f"CPU during a call (TLS + SRTP, PCMU, file audio), {seconds:.0f} s x {rounds} each, alternating:")
    print(f"  without recording {plain:.2f}% of one core  {[round(v, 2) for v in results[False]]}")
    print(f"  with recording    {rec:.2f}% of one core  {[round(v, 2) for v in results[True]]}")
    print(f"  recording costs {rec - plain:+.2f} points of one core (target < 2)")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    throughput()
    call_cpu(args.seconds, args.rounds)


if __name__ == "__main__":
    main()
