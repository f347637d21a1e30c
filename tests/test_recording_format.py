"""The encrypted recording format: round trip, tampering, truncation, keys, and no plaintext on disk."""

from __future__ import annotations

import math
import secrets
import struct
from pathlib import Path

import pytest

from octasip.privacy.recording_format import (
    MAGIC,
    AudioFormat,
    MasterKeyMissingError,
    ReadReport,
    RecordingError,
    RecordingWriter,
    decrypt,
    is_sealed,
)

FMT = AudioFormat(16000, 2, 2)


def _tone(seconds: float, hz: float = 440.0) -> bytes:
    n = int(FMT.rate * seconds)
    return b"".join(struct.pack("<hh", int(9000 * math.sin(2 * math.pi * hz * i / FMT.rate)), i % 7) for i in range(n))


def _record(path: Path, master: bytes, pcm: bytes, close: bool = True) -> RecordingWriter:
    w = RecordingWriter(path, master, "rec-1", FMT)
    for i in range(0, len(pcm), 640):  # 10 ms at a time, as the audio tap delivers it
        w.write(pcm[i:i + 640])
    if close:
        w.close()
    return w


def test_round_trip_and_nothing_readable_on_disk(tmp_path: Path) -> None:
    master = secrets.token_bytes(32)
    pcm = _tone(2.3)
    path = tmp_path / "r.octarec"
    _record(path, master, pcm)
    report = ReadReport()
    assert b"".join(decrypt(path, master, report)) == pcm
    assert report.intact and report.chunks == 5 and abs(report.seconds_recovered - 2.3) < 0.01
    data = path.read_bytes()
    assert data.startswith(MAGIC) and b"RIFF" not in data and b"WAVE" not in data
    for i in range(0, len(pcm) - 64, 3200):  # no 64-byte window of the audio appears anywhere
        assert pcm[i:i + 64] not in data
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_flipped_byte_fails_only_its_own_chunk(tmp_path: Path) -> None:
    master = secrets.token_bytes(32)
    pcm = _tone(2.0)
    path = tmp_path / "r.octarec"
    _record(path, master, pcm)
    data = bytearray(path.read_bytes())
    header_end = len(MAGIC) + 4 + struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])[0]
    sealed = FMT.chunk_bytes + 16
    data[header_end + sealed + 100] ^= 0x01  # inside chunk 1
    path.write_bytes(bytes(data))
    report = ReadReport()
    chunks = list(decrypt(path, master, report))
    assert report.damaged == [1] and not report.truncated and report.good == report.chunks - 1
    assert chunks[0] == pcm[:FMT.chunk_bytes] and chunks[2] == pcm[2 * FMT.chunk_bytes:3 * FMT.chunk_bytes]
    assert chunks[1] == bytes(FMT.chunk_bytes)  # silence keeps the timing
    assert "1 of 5 parts are damaged" in report.describe() and "1.5 s can be recovered" in report.describe()


@pytest.mark.parametrize("cut", ["mid-chunk", "no-final-chunk"])
def test_a_recording_cut_short_still_plays_up_to_its_last_chunk(tmp_path: Path, cut: str) -> None:
    master = secrets.token_bytes(32)
    pcm = _tone(1.7)
    path = tmp_path / "r.octarec"
    _record(path, master, pcm, close=False)  # the process died: no final chunk
    if cut == "mid-chunk":
        with open(path, "ab") as f:
            f.write(b"\x00" * 1000)  # a chunk half written when the process died
    report = ReadReport()
    chunks = list(decrypt(path, master, report))
    assert report.truncated
    good = b"".join(c for i, c in enumerate(chunks) if i not in report.damaged)
    assert good == pcm[:3 * FMT.chunk_bytes] and abs(report.seconds_recovered - 1.5) < 0.01
    assert "cut short" in report.describe()


@pytest.mark.parametrize("seconds", [1.7, 1.0, 0.0])  # 1.0 s: the final chunk is empty (its tag only)
def test_is_sealed_reads_only_the_last_chunk(tmp_path: Path, seconds: float) -> None:
    master = secrets.token_bytes(32)
    path = tmp_path / "r.octarec"
    _record(path, master, _tone(seconds))
    assert is_sealed(path, master)
    data = path.read_bytes()
    for name, damaged in (("cut by one byte", data[:-1]), ("last byte flipped", data[:-1] + bytes([data[-1] ^ 1])),
                          ("garbage after the end", data + b"\x00" * 100)):
        path.write_bytes(damaged)
        assert not is_sealed(path, master), name
    path.write_bytes(data)
    with pytest.raises(MasterKeyMissingError):
        is_sealed(path, None)
    with pytest.raises(RecordingError, match="does not open"):
        is_sealed(path, secrets.token_bytes(32))
    with pytest.raises(RecordingError, match="missing"):
        is_sealed(tmp_path / "gone.octarec", master)


@pytest.mark.parametrize("seconds", [1.7, 1.0, 0.0])
def test_an_unclosed_recording_is_not_sealed(tmp_path: Path, seconds: float) -> None:
    master = secrets.token_bytes(32)
    path = tmp_path / "r.octarec"
    w = _record(path, master, _tone(seconds), close=False)
    assert not is_sealed(path, master)
    w.close()
    assert is_sealed(path, master)


def test_keys(tmp_path: Path) -> None:
    path = tmp_path / "r.octarec"
    _record(path, secrets.token_bytes(32), _tone(0.2))
    with pytest.raises(RecordingError, match="does not open"):
        list(decrypt(path, secrets.token_bytes(32)))
    with pytest.raises(MasterKeyMissingError, match="master key is not in the keyring"):
        list(decrypt(path, None))
    (tmp_path / "junk").write_bytes(b"RIFF....WAVEfmt ")
    with pytest.raises(RecordingError, match="not an OctaSIP recording"):
        list(decrypt(tmp_path / "junk", secrets.token_bytes(32)))


def test_the_header_says_nothing_about_the_call(tmp_path: Path) -> None:
    path = tmp_path / "r.octarec"
    RecordingWriter(path, secrets.token_bytes(32), "rec-1", FMT).close()
    text = path.read_bytes()[:600].decode("latin-1")
    assert "sip:" not in text and "remote" not in text and "name" not in text
