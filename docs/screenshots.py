"""Screenshots for the README, taken under a private Xvfb: the main window, a call, history, settings
and a permission dialog. The call is simulated (a fake engine feeds real core events); everything else
is the real app on a scratch profile with a scratch Secret Service.

Usage: .venv/bin/python docs/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _inside(out: Path) -> None:
    import time

    from PySide6.QtWidgets import QApplication

    from octasip.app import App
    from octasip.core.consent import Permission
    from octasip.core.events import (
        CallChanged,
        CallDirection,
        CallMedia,
        CallQuality,
        CallQualityUpdated,
        CallState,
        RegistrationChanged,
        RegState,
    )
    from octasip.core.models import AccountConfig
    from octasip.profile import Profile
    from octasip.secrets import SecretStore

    class FakeEngine:
        def __init__(self, on_event) -> None:
            self.on_event, self.n = on_event, 0

        def start(self) -> None:
            pass

        def submit(self, c) -> None:
            pass

        def new_call_id(self) -> int:
            self.n += 1
            return self.n

        def stop(self) -> None:
            pass

    home = Path(os.environ["OCTASIP_HOME"])
    with Profile.open(home) as profile:
        acc = profile.accounts.add(AccountConfig(uri="sip:alice@sip.example.com", display_name="Alice",
                                                 transport="tls"))
        profile.consent.record(Permission.MICROPHONE, True, "gui")
        profile.settings.set("privacy.notice_version", "1")
        now = time.time()
        people = [("Bob Martin", "+15550100123"), ("Chen Wei", "+861012345678"), ("", "+447700900123"),
                  ("Dana Scully", "dana@example.org"), ("Erik Larsen", "+4520304050")]
        for i in range(40):
            name, number = people[i % len(people)]
            uri = f"sip:{number}@sip.example.com" if number.startswith("+") else f"sip:{number}"
            direction = CallDirection.INCOMING if i % 3 else CallDirection.OUTGOING
            row = profile.calls.start(direction=direction, remote_uri=uri, remote_name=name, account_id=acc.id,
                                      session="shots", started_at=now - i * 5400)
            missed = direction is CallDirection.INCOMING and i % 7 == 1
            if not missed:
                profile.calls.answered(row, now - i * 5400 + 4)
            from octasip.core.history import CallStatus

            profile.calls.finish(row, status=CallStatus.MISSED if missed else CallStatus.ANSWERED, code=200,
                                 reason="OK", duration=0 if missed else 60 + i * 17, transport="tls", codec="G722",
                                 srtp_suite=None if missed else "AES_CM_128_HMAC_SHA1_80",
                                 ended_at=now - i * 5400 + 120)
    qt = QApplication.instance() or QApplication([])
    app = App(data_dir=home, secrets=SecretStore(), engine_factory=FakeEngine, ask_permission=lambda p, w: True)
    app.window.show()
    app.start()

    def settle(ms: int = 600) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            qt.processEvents()
            time.sleep(0.01)

    settle(1500)
    bridge = app.bridge
    bridge.event.emit(RegistrationChanged(acc.id, RegState.REGISTERED, 200, "OK", 300))
    settle()
    out.mkdir(parents=True, exist_ok=True)
    app.window.grab().save(str(out / "main-window.png"))
    call_id = app.controller.dial("+1 555 0100 123")
    media = CallMedia("G722", "AES_CM_128_HMAC_SHA1_80", True)
    bridge.event.emit(CallChanged(call_id, acc.id, CallDirection.OUTGOING, CallState.CONFIRMED,
                                  "sip:+15550100123@sip.example.com", "Bob Martin", 200, "OK", "tls", media, 42.0))
    bridge.event.emit(CallQualityUpdated(call_id, CallQuality(rtt_ms=38.0, jitter_ms=2.1, loss_pct=0.0)))
    settle()
    app.window.grab().save(str(out / "call.png"))
    app.window.resize(820, 640)
    app.window.tabs.setCurrentIndex(1)  # History (built when first shown)
    settle(1000)
    app.window.grab().save(str(out / "history.png"))
    app.open_settings(page="privacy")
    settle(1000)
    dialog = getattr(app, "settings_dialog", None)
    if dialog is not None:
        dialog.grab().save(str(out / "settings.png"))
        dialog.close()
    from octasip.ui.permissions import PermissionDialog

    perm = PermissionDialog(Permission.MICROPHONE, app.window)
    perm.show()
    settle()
    perm.grab().save(str(out / "permission.png"))
    perm.close()
    app.quit()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inside:
        _inside(args.out)
        return
    from tests.servers.keyring_service import SecretService
    from tests.servers.xvfb import Xvfb

    work = Path(tempfile.mkdtemp(prefix="octasip-shots-"))
    service = SecretService(work / "secrets")
    service.start()
    try:
        with Xvfb("1280x800x24") as x:
            env = {**service.env, **x.env, "OCTASIP_HOME": str(work / "home"),
                   "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}
            subprocess.run([sys.executable, __file__, "--inside", "--out", str(args.out)], env=env, check=True)
    finally:
        service.stop()
    for p in sorted(args.out.glob("*.png")):
        print(p.relative_to(ROOT))


if __name__ == "__main__":
    main()
