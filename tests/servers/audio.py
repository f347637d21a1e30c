"""Tone detection in WAV files (16-bit PCM) by FFT, for checking that audio really flowed."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np


def _read_pcm16(wav_path: Path) -> tuple[bytes, int, int]:
    """(PCM bytes, sample rate, channels) of a 16-bit PCM WAV file.

    Also reads files that are still being written (baresip's sndfile dumps during a call have
    zero chunk sizes until the call ends): a zero or too large data size means "up to the end".
    """
    raw = wav_path.read_bytes()
    if raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise ValueError(f"{wav_path}: not a WAV file")
    fmt: tuple[int, ...] | None = None
    pos = 12
    while pos + 8 <= len(raw):
        chunk, size = raw[pos : pos + 4], int.from_bytes(raw[pos + 4 : pos + 8], "little")
        body = pos + 8
        if chunk == b"fmt ":
            fmt = struct.unpack("<HHIIHH", raw[body : body + 16])
        elif chunk == b"data":
            if fmt is None:
                break
            end = len(raw) if size == 0 or body + size > len(raw) else body + size
            audio_format, channels, rate, _, block_align, bits = fmt
            if bits != 16 or audio_format not in (1, 0xFFFE):
                raise ValueError(f"{wav_path}: only 16-bit PCM is supported")
            data = raw[body:end]
            return data[: len(data) - len(data) % block_align], rate, channels
        pos = body + size + (size & 1)
    raise ValueError(f"{wav_path}: fmt or data chunk missing")


def read_wav_mono(wav_path: Path) -> tuple[np.ndarray, int]:
    """Samples as float in [-1, 1] (channels averaged) and the sample rate."""
    pcm, rate, channels = _read_pcm16(wav_path)
    data = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    if channels > 1:
        data = data[: len(data) - len(data) % channels].reshape(-1, channels).mean(axis=1)
    return data, rate


def _spectrum(wav_path: Path, skip_seconds: float) -> tuple[np.ndarray, np.ndarray]:
    samples, rate = read_wav_mono(wav_path)
    samples = samples[int(skip_seconds * rate) :]
    if len(samples) < rate // 10:
        raise ValueError(f"{wav_path}: less than 0.1 s of audio after skipping {skip_seconds} s")
    samples = samples - samples.mean()
    magnitudes = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    frequencies = np.fft.rfftfreq(len(samples), d=1.0 / rate)
    return frequencies, magnitudes


def dominant_frequency(wav_path: Path, skip_seconds: float = 0.5) -> float:
    """The strongest frequency (Hz) in the file after the first ``skip_seconds``; 0.0 for silence."""
    frequencies, magnitudes = _spectrum(wav_path, skip_seconds)
    if magnitudes.max() < 1e-3 * len(magnitudes):
        return 0.0
    return float(frequencies[int(np.argmax(magnitudes))])


def rms(wav_path: Path, skip_seconds: float = 0.0) -> float:
    samples, rate = read_wav_mono(wav_path)
    samples = samples[int(skip_seconds * rate) :]
    return float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0


def has_tone(wav_path: Path, hz: float, tolerance: float = 25.0, skip_seconds: float = 0.5) -> bool:
    """True if the dominant frequency is within ``tolerance`` Hz of ``hz``."""
    return abs(dominant_frequency(wav_path, skip_seconds) - hz) <= tolerance


def samples_contain_tone(samples: np.ndarray, rate: int, hz: float, ratio: float = 20.0) -> bool:
    """True if `hz` stands out of the spectrum of `samples` (mixtures allowed)."""
    if len(samples) < rate // 10:
        return False
    samples = np.asarray(samples, dtype=np.float64)
    mags = np.abs(np.fft.rfft((samples - samples.mean()) * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1.0 / rate)
    band = mags[(freqs > hz - 15) & (freqs < hz + 15)]
    floor = float(np.median(mags)) or 1e-12
    return band.size > 0 and float(band.max()) / floor > ratio


def bytes_contain_tone(data: bytes, hz: float, rate: int = 16000, channels: tuple[int, ...] = (1, 2),
                       ratio: float = 20.0) -> bool:
    """Could these raw bytes be PCM16 audio holding `hz`? Tried at both byte alignments, as mono and as
    each channel of stereo, at 8, 16 and 48 kHz sample rates (a scan for plaintext audio on disk)."""
    for offset in (0, 1):
        raw = data[offset:]
        raw = raw[:len(raw) - len(raw) % 4]
        if len(raw) < 3200:
            continue
        pcm = np.frombuffer(raw, dtype="<i2").astype(np.float64)
        for ch in channels:
            for c in range(ch):
                for r in {rate, 8000, 16000, 48000}:
                    if samples_contain_tone(pcm[c::ch][: r * 30], r, hz, ratio):
                        return True
    return False
