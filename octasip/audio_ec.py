"""Echo cancellation by the sound server: PulseAudio's (and PipeWire-pulse's) WebRTC canceller.

For the length of a call, `module-echo-cancel` sits between the chosen microphone and speaker and
offers a cancelled pair ("octasip_ec_mic", "octasip_ec_speaker") for QtMultimedia to open; it is
unloaded when the call ends. It is a well-kept canceller that every Linux desktop ships, which an
in-process Python one could not match. Elsewhere (macOS, Windows) `available()` is False and the
caller reports that echo cancellation is off. No Qt here.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys

log = logging.getLogger("octasip.audio")

EC_SOURCE = "octasip_ec_mic"
EC_SINK = "octasip_ec_speaker"


class EchoCancelError(Exception):
    """Echo cancellation could not be set up; the message is safe to show."""


def _pactl(*args: str, timeout: float = 3.0) -> str:
    res = subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=timeout)
    if res.returncode != 0:
        raise EchoCancelError(f"the sound server refused echo cancellation: {res.stderr.strip() or res.returncode}")
    return res.stdout.strip()


def available() -> bool:
    return sys.platform.startswith("linux") and shutil.which("pactl") is not None


class PulseEchoCanceller:
    def __init__(self) -> None:
        self.module: str | None = None

    def load(self, source_master: str, sink_master: str) -> tuple[str, str]:
        """Start cancelling between these devices ("" = the defaults); returns (source, sink) to open."""
        if not available():
            raise EchoCancelError("echo cancellation needs PulseAudio or PipeWire (pactl)")
        self.unload()
        # One explicit format (the bridge's) for both sides: with use_master_format and masters of
        # different channel counts, PulseAudio 16 aborted in memblockq_rewind (seen in our tests).
        args = ["load-module", "module-echo-cancel", "aec_method=webrtc", "format=s16le", "rate=16000",
                "channels=1",
                f"source_name={EC_SOURCE}", f"sink_name={EC_SINK}",
                "source_properties=device.description=OctaSIP-echo-cancelled-microphone",
                "sink_properties=device.description=OctaSIP-echo-cancelled-speaker"]
        if source_master:
            args.append(f"source_master={source_master}")
        if sink_master:
            args.append(f"sink_master={sink_master}")
        try:
            self.module = _pactl(*args)
        except (OSError, subprocess.SubprocessError) as e:
            raise EchoCancelError(f"echo cancellation unavailable: {e}") from None
        return EC_SOURCE, EC_SINK

    def unload(self) -> None:
        if self.module is None:
            return
        module, self.module = self.module, None
        try:
            _pactl("unload-module", module)
        except (EchoCancelError, OSError, subprocess.SubprocessError) as e:
            log.warning("could not remove the echo canceller: %s", e)
