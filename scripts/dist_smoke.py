"""Smoke-test the built bundle, not the source tree: --version, doctor (on a private Secret Service),
a headless echo test, and a launch under Xvfb until the main window paints. Prints the bundle's size
and its launch time against the source run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers.keyring_service import SecretService  # noqa: E402
from tests.servers.xvfb import Xvfb  # noqa: E402


def fail(msg: str) -> None:
    print(f"dist smoke test FAILED: {msg}", file=sys.stderr)
    raise SystemExit(1)


def first_paint(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.time()
    proc = subprocess.Popen([*cmd], env={**env, "OCTASIP_TIMING": "1"}, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=tempfile.gettempdir())
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("octasip-timing first-paint"):
                return (float(line.split()[-1]) - t0) * 1000
        fail(f"{cmd[0]} exited without painting its window")
    finally:
        proc.terminate()
        proc.wait(10)
    return 0.0


def main() -> None:
    exe = Path(sys.argv[1]).absolute()
    if not exe.is_file():
        fail(f"{exe} not found: build it with `make dist`")
    work = Path(tempfile.mkdtemp(prefix="octasip-dist-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCTASIP_")}
    env.update(OCTASIP_HOME=str(work / "home"), QT_QPA_PLATFORM="offscreen")
    version = subprocess.run([str(exe), "--version"], env=env, capture_output=True, text=True, timeout=60)
    if version.returncode or "pjsip 2.15" not in version.stdout or "SQLCipher" not in version.stdout:
        fail(f"--version: {version.stdout} {version.stderr}")
    print(version.stdout.strip())
    service = SecretService(work / "secrets")
    service.start()
    try:
        env.update({k: service.env[k] for k in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")})
        doctor = subprocess.run([str(exe), "doctor", "--json"], env=env, capture_output=True, text=True, timeout=60)
        rep = json.loads(doctor.stdout or "{}")
        if rep.get("keyring secure") != "yes" or not str(rep.get("sqlcipher", "")).startswith("SQLCipher"):
            fail(f"doctor: {doctor.stdout} {doctor.stderr}")
        print("doctor: ok (keyring secure, SQLCipher, PJSIP, OpenSSL found inside the bundle)")
        echo = subprocess.run([str(exe), "echo-test", "--json"], env=env, capture_output=True, text=True,
                              timeout=90)
        summary = json.loads(echo.stdout or "{}")
        if echo.returncode or not summary.get("answered") or not summary.get("srtp"):
            fail(f"echo-test: {echo.stdout} {echo.stderr}")
        print(f"echo-test: ok, SRTP {summary['srtp']}, click round trip {summary.get('click_round_trip_ms')} ms")
        with Xvfb() as x:
            genv = {**env, **x.env}
            genv.pop("QT_QPA_PLATFORM", None)
            bundle = sorted(first_paint([str(exe)], genv) for _ in range(3))[1]
            source = sorted(first_paint([sys.executable, "-m", "octasip"], {**genv, "PYTHONPATH": str(ROOT)})
                            for _ in range(3))[1]
    finally:
        service.stop()
    size = sum(p.stat().st_size for p in exe.parent.rglob("*") if p.is_file())
    print(f"launch under Xvfb to the main window's first paint: bundle {bundle:.0f} ms, source {source:.0f} ms "
          "(median of 3)")
    print(f"bundle: {exe.parent} is {size / 2**20:.0f} MiB")
    print("dist smoke test passed")


if __name__ == "__main__":
    main()
