"""The engine's audio backend interface. Two implementations:

- `audio_file.FileAudio`: plays a WAV into each call and records what it receives (CLI, tests).
- `audio_bridge.BridgeAudio`: one BridgePort shared by all calls, whose frame buffers the app's
  QtMultimedia thread (`octasip/audio_qt_io.py`) fills from the microphone and drains to the speaker.

All methods run on the engine thread.
"""

from __future__ import annotations

from typing import Protocol

import pjsua2 as pj


class AudioBackend(Protocol):
    def attach(self, call_id: int, aud: pj.AudioMedia, muted: bool) -> None:
        """The call's audio is active: connect it (both directions; sending nothing if muted)."""

    def set_muted(self, call_id: int, aud: pj.AudioMedia, muted: bool) -> None: ...

    def local_source(self, call_id: int) -> pj.AudioMedia | None:
        """What we send into this call (the microphone port or the file player), for the recording tap."""

    def detach(self, call_id: int) -> None:
        """The call ended or went on hold: disconnect it; release devices no call needs."""

    def tick(self) -> None:
        """Once per engine-loop turn (deferred clean-up)."""

    def close(self) -> None:
        """Before libDestroy(): release everything."""
