"""OctaSIP side of the engine benchmarks, run in its own process (like the bare script).

modes:
  calls: register over TLS, place N calls (SRTP mandatory), print setup times and the quit time.
  idle:  register, sit idle for S seconds, print CPU, wakeups and RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: find tests/

from octasip.core import commands as cmd
from octasip.core.events import CallChanged, CallEnded, CallState, RegistrationChanged, RegState
from octasip.core.models import AccountConfig
from octasip.engine import Engine, EngineSettings
from tests.engine_harness import wait_event


def wait_for(q: queue.Queue, pred, timeout: float = 10.0):
    return wait_event(q, pred, timeout)


def ctx_switches() -> int:
    total = 0
    for task in Path("/proc/self/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1])
    return 0


def cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["calls", "idle"])
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--target", default="")
    p.add_argument("--calls", type=int, default=10)
    p.add_argument("--seconds", type=float, default=30.0)
    args = p.parse_args()
    q: queue.Queue = queue.Queue()
    acc = AccountConfig(uri=f"sip:{args.user}@127.0.0.1", id=1, registrar=f"sip:127.0.0.1:{args.port}",
                        transport="tls", ca_file=args.ca, srtp="mandatory")
    engine = Engine(EngineSettings(bind_address="127.0.0.1", netwatch_interval_s=3.0), lambda _i: args.password, q.put)
    engine.start()
    engine.submit(cmd.AddAccount(acc))
    wait_for(q, lambda e: isinstance(e, RegistrationChanged) and e.state is RegState.REGISTERED)
    out: dict = {}
    if args.mode == "calls":
        submit_to_confirmed, engine_setup = [], []
        for _ in range(args.calls):
            cid = engine.new_call_id()
            t0 = time.perf_counter()
            engine.submit(cmd.MakeCall(1, args.target, cid))
            wait_for(q, lambda e, cid=cid: isinstance(e, CallChanged) and e.call_id == cid
                     and e.state is CallState.CONFIRMED)
            submit_to_confirmed.append((time.perf_counter() - t0) * 1000)
            engine.submit(cmd.Hangup(cid))
            ended = wait_for(q, lambda e, cid=cid: isinstance(e, CallEnded) and e.call_id == cid)
            engine_setup.append(ended.setup_ms)
            if ended.media.srtp_suite is None:
                raise SystemExit("call was not encrypted")
        out.update(setup_ms=submit_to_confirmed, engine_setup_ms=engine_setup, srtp=ended.media.srtp_suite)
        t0 = time.perf_counter()
        engine.stop()
        out["quit_ms"] = (time.perf_counter() - t0) * 1000
    else:
        time.sleep(2.0)  # let registration settle
        c0, w0, t0 = cpu_s(), ctx_switches(), time.monotonic()
        time.sleep(args.seconds)
        c1, w1, t1 = cpu_s(), ctx_switches(), time.monotonic()
        out.update(cpu_pct=100.0 * (c1 - c0) / (t1 - t0), wakeups_per_s=(w1 - w0) / (t1 - t0),
                   rss_mib=rss_kib() / 1024.0, threads=len(os.listdir("/proc/self/task")))
        engine.stop()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
