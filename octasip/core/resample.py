"""PCM16 format conversion for devices that cannot run at the bridge's rate (16 kHz mono).

PulseAudio and PipeWire convert in the sound server; where the device only offers its own format
(e.g. 48 kHz stereo), the audio thread converts with this: channel down/up-mix and linear
interpolation. Linear is enough for speech at these ratios and costs about 0.1 ms per 20 ms frame.
A `Resampler` keeps its phase between chunks, so a stream of chunks converts without clicks.
"""

from __future__ import annotations

import array


def to_mono(pcm: bytes, channels: int) -> bytes:
    if channels == 1:
        return pcm
    samples = array.array("h", pcm[: len(pcm) - len(pcm) % (2 * channels)])
    out = array.array("h", (sum(samples[i:i + channels]) // channels for i in range(0, len(samples), channels)))
    return out.tobytes()


def from_mono(pcm: bytes, channels: int) -> bytes:
    if channels == 1:
        return pcm
    samples = array.array("h", pcm[: len(pcm) - len(pcm) % 2])
    out = array.array("h", bytes(2 * channels * len(samples)))
    for c in range(channels):
        out[c::channels] = samples
    return out.tobytes()


class Resampler:
    """Mono PCM16 from `src_rate` to `dst_rate`, chunk by chunk."""

    def __init__(self, src_rate: int, dst_rate: int) -> None:
        if src_rate <= 0 or dst_rate <= 0:
            raise ValueError("rates must be positive")
        self.step = src_rate / dst_rate
        self.pos = 0.0  # position of the next output sample, in input samples, relative to `prev`
        self.prev = 0  # the last input sample of the previous chunk

    def process(self, pcm: bytes) -> bytes:
        if self.step == 1.0:
            return pcm
        src = array.array("h", pcm[: len(pcm) - len(pcm) % 2])
        if not src:
            return b""
        out = array.array("h")
        n = len(src)
        pos = self.pos
        prev = self.prev
        # index -1 is `prev` (the last sample of the previous chunk), 0..n-1 is this chunk
        while pos < n - 1:
            i = int(pos) if pos >= 0 else -1
            frac = pos - i
            a = prev if i < 0 else src[i]
            b = src[i + 1]
            out.append(int(a + (b - a) * frac))
            pos += self.step
        self.pos = pos - n
        self.prev = src[-1]
        return out.tobytes()
