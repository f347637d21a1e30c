import array
import math

from octasip.core.resample import Resampler, from_mono, to_mono


def tone(hz: float, rate: int, seconds: float) -> bytes:
    return array.array("h", (int(12000 * math.sin(2 * math.pi * hz * i / rate))
                             for i in range(int(rate * seconds)))).tobytes()


def dominant(pcm: bytes, rate: int) -> float:
    import numpy as np

    s = np.frombuffer(pcm, dtype="<i2").astype(float)
    mags = np.abs(np.fft.rfft(s * np.hanning(len(s))))
    return float(np.fft.rfftfreq(len(s), 1 / rate)[int(np.argmax(mags))])


def test_downsample_48k_to_16k_in_chunks_keeps_the_tone_and_the_length():
    src = tone(1000, 48000, 1.0)
    r = Resampler(48000, 16000)
    out = b"".join(r.process(src[i:i + 1920]) for i in range(0, len(src), 1920))  # 20 ms chunks
    assert abs(len(out) // 2 - 16000) <= 2
    assert abs(dominant(out, 16000) - 1000) < 5


def test_upsample_16k_to_44k1_keeps_the_tone():
    src = tone(440, 16000, 1.0)
    r = Resampler(16000, 44100)
    out = b"".join(r.process(src[i:i + 640]) for i in range(0, len(src), 640))
    assert abs(len(out) // 2 - 44100) <= 3
    assert abs(dominant(out, 44100) - 440) < 5


def test_channel_mix_round_trip():
    mono = array.array("h", [100, -200, 300]).tobytes()
    stereo = from_mono(mono, 2)
    assert array.array("h", stereo).tolist() == [100, 100, -200, -200, 300, 300]
    assert to_mono(stereo, 2) == mono
