"""Launch of the desktop app (issue 5 targets): from process start to the first paint (<= 300 ms) and to
a registered account on a loopback registrar (<= 500 ms); then idle CPU with one registered account
(< 1% of a core) and RSS, GUI process and engine host together. Real parts: Xvfb, the Secret Service,
Kamailio (UDP), PulseAudio. Prints the figures."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from tests.servers.kamailio import Kamailio  # noqa: E402
from tests.servers.keyring_service import SecretService  # noqa: E402
from tests.servers.pki import make_test_pki  # noqa: E402
from tests.servers.pulseaudio import PulseAudio  # noqa: E402
from tests.servers.xvfb import Xvfb  # noqa: E402

RUNS = 5


def launch(env: dict[str, str], measure_idle: bool) -> dict[str, float]:
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "octasip"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    got: dict[str, float] = {}
    try:
        assert proc.stdout is not None
        while "registered" not in got or "first-paint" not in got:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("the app exited before registering")
            if line.startswith("octasip-timing "):
                _, what, when = line.split()
                got[what] = (float(when) - t0) * 1000
        if measure_idle:
            time.sleep(3.0)  # let start-up settle
            procs = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
            cpu0 = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
            w0 = time.monotonic()
            time.sleep(20.0)
            cpu1 = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
            got["idle cpu %"] = 100 * (cpu1 - cpu0) / (time.monotonic() - w0)
            got["rss gui MiB"] = procs[0].memory_info().rss / 2**20
            got["rss host MiB"] = sum(p.memory_info().rss for p in procs[1:]) / 2**20
    finally:
        proc.terminate()
        proc.wait(10)
        time.sleep(0.5)
    return got


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="octasip-launch-"))
    pki = make_test_pki(work / "pki")
    service = SecretService(work / "secrets")
    service.start()
    try:
        with Xvfb() as x, PulseAudio(work / "pulse") as pulse, Kamailio(pki, work / "kam") as kam:
            env = {**service.env, **pulse.env, **x.env, "OCTASIP_HOME": str(work / "home"), "OCTASIP_BIND": "127.0.0.1",
                   "OCTASIP_TIMING": "1", "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}
            env.pop("QT_QPA_PLATFORM", None)
            add = subprocess.run([sys.executable, "-m", "octasip", "account", "add", "--uri", kam.aor("alice"),
                                  "--registrar", f"sip:{kam.host}:{kam.port('udp')}", "--transport", "udp",
                                  "--password-stdin"], input="alice-secret\n", env=env, text=True,
                                 capture_output=True)
            assert add.returncode == 0, add.stderr
            runs = [launch(env, measure_idle=(i == RUNS - 1)) for i in range(RUNS)]
    finally:
        service.stop()
    paint = [r["first-paint"] for r in runs]
    reg = [r["registered"] for r in runs]
    for key in ("store-opened", "engine-started"):
        print(f"  (launch to {key}: median {statistics.median(r[key] for r in runs):.0f} ms)")
    print(f"launch to first paint: median {statistics.median(paint):.0f} ms (runs: "
          f"{', '.join(f'{v:.0f}' for v in paint)}; target <= 300 ms)")
    print(f"launch to registered (loopback UDP registrar): median {statistics.median(reg):.0f} ms (runs: "
          f"{', '.join(f'{v:.0f}' for v in reg)}; target <= 500 ms)")
    last = runs[-1]
    print(f"idle with one registered account, 20 s: {last['idle cpu %']:.2f}% of a core (GUI + engine host; "
          f"target < 1%); RSS GUI {last['rss gui MiB']:.0f} MiB, engine host {last['rss host MiB']:.0f} MiB")


if __name__ == "__main__":
    main()
