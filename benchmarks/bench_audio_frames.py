"""Audio frame callbacks of the BridgePort in a live call: are they on time? Prints its figures.

A call over loopback TLS + SRTP through Kamailio to baresip (1000 Hz tone, PCMU), with a BridgePort
connected to the call's audio. As in the app, an "engine" thread owns the pjsua2 Endpoint and pumps
libHandleEvents, a sink thread drains `playback` (10 ms every 10 ms) and a source thread feeds
`capture` (440 Hz, 20 ms every 20 ms), like QtMultimedia will. The main thread stands in for the GUI:
- idle: waits;
- busy: builds and sorts 100k dict rows, continuously (the sort's comparisons and the freeing of
  the rows run in C and hold the GIL for ~50-90 ms in one piece);
- busy-py: builds 100k dict rows and groups them in a Python loop (bytecode, plus the GC and the
  freeing of the rows: GIL holds up to ~20-30 ms);
- busy-proc: idle, with the sort load in a separate process (what a separate engine process gets).

Each load is measured with the fast frame copy (octasip's) and the slow supported one
(`bytes(frame.buf)`, one SWIG call per byte) in the same run. A plain Python thread that wakes every
20 ms runs alongside as a reference: no Python callback can be more punctual than it.

Figures per scenario, over the measured window (after 0.5 s of warm-up):
- callback interval p50/p99/max and lateness against the ideal 20 ms schedule p50/p99/max, with
  the number of frames more than 40 ms late (onFrameReceived and onFrameRequested);
- frames delivered vs expected, RTP packets sent/received in the window;
- time spent inside one callback (p50/p99), CPU % of the process (and without the load thread).

Targets: interval p99 <= 25 ms, lateness p99 <= 5 ms, 0 frames > 40 ms late.

Usage: .venv/bin/python benchmarks/bench_audio_frames.py [--seconds 60] [--copies fast,slow]
       [--loads idle,busy-py,busy,busy-proc] [--switch-ms 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pjsua2 as pj  # noqa: E402

from octasip.engine import audio_port  # noqa: E402
from octasip.engine.audio_port import BridgePort, CallbackTiming, TimingSummary, _percentile  # noqa: E402
from tests.servers.baresip import Baresip  # noqa: E402
from tests.servers.kamailio import Kamailio  # noqa: E402
from tests.servers.pki import make_test_pki  # noqa: E402
from tests.test_audio_port import MiniUA, tone_pcm  # noqa: E402

PTIME_MS = 20
WARMUP_S = 0.5
TICKS = os.sysconf("SC_CLK_TCK")


class TimedPort(BridgePort):
    """BridgePort that also records how long each callback body takes (ns)."""

    def __init__(self, *args, capacity: int = 4000, **kw) -> None:
        self.rx_cost = array("q", bytes(8 * capacity))
        self.tx_cost = array("q", bytes(8 * capacity))
        self.n_rx = self.n_tx = 0
        super().__init__(*args, timing_capacity=capacity, **kw)

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        t0 = time.perf_counter_ns()
        super().onFrameReceived(frame)
        self.rx_cost[self.n_rx % len(self.rx_cost)] = time.perf_counter_ns() - t0
        self.n_rx += 1

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:
        t0 = time.perf_counter_ns()
        super().onFrameRequested(frame)
        self.tx_cost[self.n_tx % len(self.tx_cost)] = time.perf_counter_ns() - t0
        self.n_tx += 1


def _rows() -> list[dict]:
    return [{"id": i, "name": f"contact {i:06d}", "number": f"+4930{(i * 7919) % 10**7:07d}",
             "score": (i * 2654435761) % 1000} for i in range(100_000)]


def work_sort() -> None:
    """Build and sort 100k dict rows. The sort's tuple comparisons run in C without a break:
    ~45 ms of GIL held in one piece on this machine."""
    rows = _rows()
    rows.sort(key=lambda r: (r["score"], r["name"]))


def work_py() -> None:
    """Build 100k dict rows and group them in a Python loop: bytecode only, no long C call."""
    groups: dict[int, list[dict]] = {}
    for row in _rows():
        groups.setdefault(row["score"], []).append(row)


LOADS = {"idle": None, "busy": work_sort, "busy-py": work_py, "busy-proc": "process"}
LOAD_NAMES = {
    "idle": "main thread idle",
    "busy": "main thread building + sorting 100k rows",
    "busy-py": "main thread building + grouping 100k rows (bytecode only)",
    "busy-proc": "main thread idle, the sort load in another process",
}


def load_worker() -> None:
    """`--load-worker`: the sort load forever, in its own process (its own GIL)."""
    while True:
        work_sort()


def cpu_ticks() -> dict[int, int]:
    """utime + stime (clock ticks) of every thread of this process."""
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(tid)] = int(fields[11]) + int(fields[12])
    return out


class Scenario:
    def __init__(self, copy: str, load: str) -> None:
        self.copy = copy
        self.load = load
        self.result: dict = {}


def run_call(ua: MiniUA, acc, target: str, sc: Scenario, seconds: float, main_tid: int) -> None:
    """Engine thread: one call, measured."""
    call = ua.call(acc, target)
    capacity = int((seconds + WARMUP_S + 5) * 1000 / PTIME_MS)
    port = TimedPort(f"bench-{sc.copy}-{sc.load}", fast=(sc.copy == "fast"), capacity=capacity)
    ua.ports.append(port)
    assert port.fast == (sc.copy == "fast"), "fast copy unavailable (self-test failed)"
    assert call.audio is not None
    port.connect(call.audio)
    stop = threading.Event()

    def sink() -> None:
        t = time.monotonic()
        while not stop.is_set():
            port.playback.read(320)
            t += 0.010
            time.sleep(max(0.0, t - time.monotonic()))

    tone = tone_pcm(440, 16000)  # 1 s = 440 whole cycles: loops without a click

    def source() -> None:
        t = time.monotonic()
        pos = 0
        while not stop.is_set():
            port.capture.write(tone[pos:pos + 640])
            pos = (pos + 640) % len(tone)
            t += 0.020
            time.sleep(max(0.0, t - time.monotonic()))

    ticker_timing = CallbackTiming(capacity, PTIME_MS)

    def ticker() -> None:  # the best any Python thread can do: wake up every 20 ms
        t = time.monotonic()
        while not stop.is_set():
            ticker_timing.tick(time.monotonic_ns())
            t += PTIME_MS / 1000
            time.sleep(max(0.0, t - time.monotonic()))

    threads = [threading.Thread(target=f, name=f.__name__) for f in (sink, source, ticker)]
    for th in threads:
        th.start()
    ua.run_for(WARMUP_S)
    start_ns = time.monotonic_ns()
    wall0 = time.monotonic()
    rx0, tx0 = port.rx_audio_frames, port.n_tx
    rx_cost0, tx_cost0 = port.n_rx, port.n_tx
    pkt0 = call.tx_rx_packets()
    cpu0 = cpu_ticks()
    ua.run_for(seconds)
    cpu1 = cpu_ticks()
    wall = time.monotonic() - wall0
    pkt1 = call.tx_rx_packets()
    rx_frames, tx_frames = port.rx_audio_frames - rx0, port.n_tx - tx0
    stop.set()
    for th in threads:
        th.join(5)
    ua.hangup(call)
    ua.reaper.retire(port)
    ua.run_for(0.15)
    ua.reaper.reap()
    ua.calls.remove(call)
    pj.Call.__swig_destroy__(call)  # on the engine thread, now

    def costs(arr: array, first: int, last: int) -> tuple[float, float]:
        vals = sorted(arr[i % len(arr)] / 1000.0 for i in range(max(first, last - len(arr)), last))
        return _percentile(vals, 50), _percentile(vals, 99)

    total_cpu = sum(cpu1.get(t, 0) - cpu0.get(t, 0) for t in cpu1)
    load_cpu = cpu1.get(main_tid, 0) - cpu0.get(main_tid, 0)
    sc.result = {
        "seconds": wall,
        "rx": port.rx_timing.summary(since_ns=start_ns),
        "tx": port.tx_timing.summary(since_ns=start_ns),
        "ticker": ticker_timing.summary(since_ns=start_ns),
        "rx_frames": rx_frames, "tx_frames": tx_frames, "expected": wall * 1000 / PTIME_MS,
        "rtp_tx": pkt1[0] - pkt0[0], "rtp_rx": pkt1[1] - pkt0[1],
        "rx_cost": costs(port.rx_cost, rx_cost0, port.n_rx), "tx_cost": costs(port.tx_cost, tx_cost0, port.n_tx),
        "cpu": 100.0 * total_cpu / TICKS / wall, "cpu_wo_load": 100.0 * (total_cpu - load_cpu) / TICKS / wall,
        "errors": port.callback_errors, "playback": port.playback.stats(), "capture": port.capture.stats(),
    }


def engine_main(kam: Kamailio, scenarios: list[Scenario], seconds: float, go: threading.Semaphore,
                done: threading.Event, ready: threading.Event, main_tid: int, failure: list[BaseException]) -> None:
    ua = None
    try:
        ua = MiniUA()
        acc = ua.tls_account(kam, "alice")
        ready.set()
        for sc in scenarios:
            go.acquire()
            done.clear()
            try:
                run_call(ua, acc, "sip:bob@127.0.0.1;transport=tls", sc, seconds, main_tid)
            finally:
                done.set()
    except BaseException as e:
        failure.append(e)
        ready.set()
        done.set()
    finally:
        if ua is not None:
            ua.close()


def _timing(name: str, t: TimingSummary) -> str:
    return (f"  {name}: interval p50/p99/max"
            f" {t.interval_p50_ms:.1f}/{t.interval_p99_ms:.1f}/{t.interval_max_ms:.1f} ms,"
            f" lateness p50/p99/max {t.late_p50_ms:.1f}/{t.late_p99_ms:.1f}/{t.late_max_ms:.1f} ms,"
            f" frames > 40 ms late: {t.frames_late} (of {t.count})")


def report(sc: Scenario, loops: int) -> str:
    r = sc.result
    rx_cost, tx_cost = r["rx_cost"], r["tx_cost"]
    load = f", load loops {loops}" if loops else ""
    return "\n".join([
        f"{sc.copy} copy, {LOAD_NAMES[sc.load]} ({r['seconds']:.1f} s{load}):",
        _timing("onFrameReceived ", r["rx"]),
        _timing("onFrameRequested", r["tx"]),
        _timing("Python 20 ms ticker thread (reference)", r["ticker"]),
        f"  frames delivered: {r['rx_frames']} received, {r['tx_frames']} requested, expected {r['expected']:.0f};"
        f" RTP sent {r['rtp_tx']}, received {r['rtp_rx']}",
        f"  time in callback p50/p99: received {rx_cost[0]:.1f}/{rx_cost[1]:.1f} µs,"
        f" requested {tx_cost[0]:.1f}/{tx_cost[1]:.1f} µs",
        f"  CPU: {r['cpu']:.1f}% of a core ({r['cpu_wo_load']:.1f}% without the load thread);"
        f" callback errors {r['errors']}, playback overruns {r['playback'].overruns},"
        f" capture overruns {r['capture'].overruns}",
    ])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=60.0, help="measured length of each call")
    p.add_argument("--copies", default="fast,slow")
    p.add_argument("--load-worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--switch-ms", type=float, default=2.0, help="sys.setswitchinterval (the engine uses 2 ms)")
    p.add_argument("--loads", default="idle,busy-py,busy,busy-proc", help=f"of {', '.join(LOADS)}")
    args = p.parse_args()
    if args.load_worker:
        load_worker()
    sys.setswitchinterval(args.switch_ms / 1000)
    print(f"fast copy self-test: {'passed' if audio_port.self_test() else 'FAILED'}, "
          f"switch interval {sys.getswitchinterval() * 1000:g} ms, {args.seconds:.0f} s per call", flush=True)
    scenarios = [Scenario(c, lo) for lo in args.loads.split(",") for c in args.copies.split(",")]
    work = Path(tempfile.mkdtemp(prefix="octasip-bench-audio-"))
    pki = make_test_pki(work / "pki")
    with Kamailio(pki, work / "kamailio") as kam:
        bob = Baresip(kam, work / "bob", user="bob", transport="tls", mediaenc="srtp-mand", tone_hz=1000,
                      sip_trace=False)
        bob.start()
        try:
            go, done, ready = threading.Semaphore(0), threading.Event(), threading.Event()
            failure: list[BaseException] = []
            engine = threading.Thread(target=engine_main, name="engine", args=(
                kam, scenarios, args.seconds, go, done, ready, threading.get_native_id(), failure))
            engine.start()
            ready.wait(30)
            for sc in scenarios:
                if failure:
                    break
                done.clear()
                go.release()
                loops = 0
                work = LOADS[sc.load]
                if work == "process":
                    worker = subprocess.Popen([sys.executable, __file__, "--load-worker"])
                    try:
                        done.wait()
                    finally:
                        worker.kill()
                        worker.wait()
                elif callable(work):
                    while not done.is_set():
                        work()
                        loops += 1
                else:
                    done.wait()
                if sc.result:
                    print(report(sc, loops), flush=True)
            engine.join(60)
            if failure:
                raise failure[0]
        finally:
            bob.stop()
    print("targets (interval p99 <= 25 ms, lateness p99 <= 5 ms, 0 frames > 40 ms late, both callbacks):")
    for sc in scenarios:
        if sc.result:
            met = all(t.interval_p99_ms <= 25 and t.late_p99_ms <= 5 and t.frames_late == 0
                      for t in (sc.result["rx"], sc.result["tx"]))
            print(f"  {sc.copy} copy, {LOAD_NAMES[sc.load]}: {'met' if met else 'NOT met'}")

if __name__ == "__main__":
    main()
