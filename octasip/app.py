"""Composition root: builds and wires the app. No singletons, no global app object."""

from __future__ import annotations

import os
import sys


def has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY_HELP = """\
OctaSIP needs a graphical display for its window, and none was found (DISPLAY / WAYLAND_DISPLAY unset).
Without a display you can still use the command line. Try the echo test first (no account needed):
  octasip echo-test                   a real SIP call to OctaSIP's own echo peer on 127.0.0.1
  octasip echo-test --audio devices   the same with your microphone and speaker
  octasip doctor                      check the keyring, SIP/TLS libraries and audio
  octasip account add --uri sip:you@provider --transport tls --password-stdin
  octasip call NUMBER --json          register, call, and print a summary
  octasip answer --count 1            auto-answer incoming calls
  octasip --help                      everything else
"""


def run_gui(uri: str | None = None) -> int:
    if not has_display():
        print(NO_DISPLAY_HELP, end="")
        return 0
    print("The OctaSIP window is not built yet (GUI issue); use the command line: octasip --help")
    return 0
