#!/usr/bin/env python3
"""Generate OctaSIP's sounds (resources/sounds/*.wav): deterministic, pure Python, our own design.

    python3 scripts/make_sounds.py [--out DIR]

Every file is 16 kHz mono 16-bit PCM. Tone segments get a 10 ms raised-cosine fade in and out, so
they start and stop without a click; sounds that loop (ringtone, ringback, busy) hold their
cadence's silence in the file, so looping the file gives the cadence. The specs are listed in
resources/sounds/README.md and checked by tests/test_tones_real.py, which also regenerates the
files and compares them byte for byte with the committed ones.
"""

from __future__ import annotations

import argparse
import array
import math
import sys
import wave
from collections.abc import Callable
from pathlib import Path

RATE = 16000
FADE_S = 0.010
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"

# ITU-T E.180 / ETSI TR 101 041 call-progress frequency used across Europe (CEPT)
PROGRESS_HZ = 425.0
PROGRESS_LEVEL = 0.35  # about -9 dBFS peak: call-progress tones are quieter than the ringtone
SIT_HZ = (950.0, 1400.0, 1800.0)  # special information tone, ITU-T E.180
SIT_SEGMENT_S = 0.330
RING_NOTES_HZ = (784.0, 988.0)  # G5 and B5 (a major third), alternating
CHIME_NOTES_HZ = (1046.5, 1318.5, 1568.0)  # C6 E6 G6


def n_samples(seconds: float) -> int:
    return round(seconds * RATE)


def silence(seconds: float) -> list[float]:
    return [0.0] * n_samples(seconds)


def fade(samples: list[float], seconds: float = FADE_S) -> list[float]:
    """Raised-cosine fade in and out over ``seconds`` at each end (in place; also returned)."""
    n = min(n_samples(seconds), len(samples) // 2)
    for i in range(n):
        gain = 0.5 - 0.5 * math.cos(math.pi * i / n)
        samples[i] *= gain
        samples[-1 - i] *= gain
    return samples


def tone(hz: float, seconds: float, level: float) -> list[float]:
    """A steady sine with faded ends."""
    w = 2 * math.pi * hz / RATE
    return fade([level * math.sin(w * i) for i in range(n_samples(seconds))])


def bell(hz: float, seconds: float, level: float, decay_s: float) -> list[float]:
    """A struck-bell note: fundamental plus a soft octave, 5 ms attack, exponential decay."""
    w = 2 * math.pi * hz / RATE
    attack = n_samples(0.005)
    out = []
    for i in range(n_samples(seconds)):
        env = math.exp(-i / RATE / decay_s) * min(1.0, i / attack)
        out.append(level * env * (0.8 * math.sin(w * i) + 0.2 * math.sin(2 * w * i)))
    return fade(out)


def mix(length_s: float, parts: list[tuple[float, list[float]]]) -> list[float]:
    """Sum ``parts`` (start second, samples) into a buffer of ``length_s`` seconds."""
    out = silence(length_s)
    for start_s, samples in parts:
        start = n_samples(start_s)
        for i, value in enumerate(samples[: len(out) - start]):
            out[start + i] += value
    return out


# the sounds


def ringtone() -> list[float]:
    """2 s ring, 1 s silence (loop it): two bursts of four bell notes alternating G5/B5."""
    burst: list[float] = []
    for hz in (*RING_NOTES_HZ, *RING_NOTES_HZ):
        burst += bell(hz, 0.2, level=0.6, decay_s=0.15)
    return burst + silence(0.2) + burst + silence(0.2) + silence(1.0)


def ringback() -> list[float]:
    """One cadence period of the ringback tone: 425 Hz 1 s on, 4 s off (CEPT, e.g. DE/ES/IT)."""
    return tone(PROGRESS_HZ, 1.0, PROGRESS_LEVEL) + silence(4.0)


def busy() -> list[float]:
    """One cadence period of the busy tone: 425 Hz 0.5 s on, 0.5 s off."""
    return tone(PROGRESS_HZ, 0.5, PROGRESS_LEVEL) + silence(0.5)


def error() -> list[float]:
    """Special information tone: 950, 1400, 1800 Hz, 330 ms each, back to back (play once)."""
    out: list[float] = []
    for hz in SIT_HZ:
        out += tone(hz, SIT_SEGMENT_S, PROGRESS_LEVEL)
    return out


CLICK_AT_S = 0.050
CLICK_S = 0.005


def click() -> list[float]:
    """A 5 ms square burst (2 kHz, +/-0.73 full scale) at 50 ms in 0.25 s: sharp onset, no fade."""
    out = silence(0.25)
    start = n_samples(CLICK_AT_S)
    for i in range(n_samples(CLICK_S)):
        out[start + i] = 0.73 if (i // 4) % 2 == 0 else -0.73
    return out


def test_sound() -> list[float]:
    """A rising C6-E6-G6 chime, notes 150 ms apart, ringing out over 1.2 s."""
    notes = [(0.15 * k, bell(hz, 1.2 - 0.15 * k, level=0.3, decay_s=0.3)) for k, hz in enumerate(CHIME_NOTES_HZ)]
    return fade(mix(1.2, notes), 0.05)


def call_waiting() -> list[float]:
    """Two short 425 Hz beeps: 0.2 s on, 0.2 s off, 0.2 s on (CEPT call-waiting pattern, once)."""
    beep = tone(PROGRESS_HZ, 0.2, PROGRESS_LEVEL)
    return beep + silence(0.2) + beep


SOUNDS: dict[str, Callable[[], list[float]]] = {
    "ringtone": ringtone,
    "ringback": ringback,
    "busy": busy,
    "error": error,
    "click": click,
    "test-sound": test_sound,
    "call-waiting": call_waiting,
}


def to_pcm16(samples: list[float]) -> bytes:
    pcm = array.array("h", (max(-32768, min(32767, round(s * 32767))) for s in samples))
    if sys.byteorder == "big":
        pcm.byteswap()
    return pcm.tobytes()


def write_wav(path: Path, samples: list[float]) -> int:
    pcm = to_pcm16(samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm)
    return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, make in SOUNDS.items():
        samples = make()
        size = write_wav(args.out / f"{name}.wav", samples)
        total += size
        print(f"{name + '.wav':18} {len(samples) / RATE:5.2f} s  {size / 1024:6.1f} KiB")
    print(f"{'total':18} {'':7}  {total / 1024:6.1f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
