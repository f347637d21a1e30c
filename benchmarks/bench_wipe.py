"""Wipe (issue 4 target: <= 1 s, file count checked): a profile with a database, 5 accounts with
keyring passwords, 200 recording-sized files and logs, on a private Secret Service. Prints the time."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers.keyring_service import SecretService  # noqa: E402


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="octasip-wipe-"))
    service = SecretService(work / "secrets")
    service.start()
    try:
        os.environ.update(service.env)
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
        os.environ["OCTASIP_HOME"] = str(work / "home")
        from octasip.core.models import AccountConfig
        from octasip.privacy.wipe import wipe
        from octasip.profile import Profile

        with Profile.open() as profile:
            for i in range(5):
                acc = profile.accounts.add(AccountConfig(uri=f"sip:user{i}@example.com"))
                profile.secrets.set_sip_password(acc.id, f"pw-{i}")
            home = profile.data_dir
        for sub, count, size in (("recordings", 200, 256 * 1024), ("logs", 5, 1024 * 1024)):
            (home / sub).mkdir()
            for n in range(count):
                (home / sub / f"{n}.bin").write_bytes(os.urandom(size))
        files = sum(1 for p in home.rglob("*") if p.is_file())
        t0 = time.perf_counter()
        report = wipe(home)
        elapsed = (time.perf_counter() - t0) * 1000
        left = sum(1 for p in home.rglob("*") if p.is_file()) if home.exists() else 0
        items = service.search("OctaSIP")
    finally:
        service.stop()
    print(f"Wipe of {files} files ({(200 * 256 + 5 * 1024) / 1024:.0f} MiB) and 6 keyring items: {elapsed:.0f} ms"
          f" (target <= 1000 ms); files left {left}, keyring items left {len(items)}, ok={report.ok}")


if __name__ == "__main__":
    main()
