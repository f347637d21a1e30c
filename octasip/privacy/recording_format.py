"""The encrypted recording file: audio is encrypted before it touches the disk.

Layout (all integers big-endian)::

    magic "OCTAREC1" | header length (u32) | header (JSON, UTF-8) | chunk 0 | chunk 1 | ...

The header holds the audio format, the recording's own random 256-bit key wrapped (AES-256-GCM) by the
recording master key from the keyring, and a random 8-byte nonce prefix. It holds nothing about the
call: who and when live in the encrypted database.

Every chunk is ``CHUNK_FRAMES`` audio frames (the last may be shorter) sealed with AES-256-GCM:
nonce = prefix || chunk index (u32); associated data = SHA-256(header) || index || final flag. All chunks
but the last have the same size on disk, so damage to one chunk never hides the others: each chunk
decrypts, or fails its authentication, on its own. The last chunk is marked final; a file whose last
chunk is not final was cut short (a crash, a full disk) and is reported as truncated, with everything
up to its last complete chunk still playable.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"OCTAREC1"
VERSION = 1
KEY_BYTES = 32
TAG_BYTES = 16
CHUNK_SECONDS = 0.5  # at most this much audio is lost when the process dies mid-recording
MAX_HEADER = 4096
_WRAP_AAD = b"octasip-recording-key-v1:"


class RecordingError(Exception):
    """The recording cannot be read or written. The message is safe to show."""


class MasterKeyMissingError(RecordingError):
    """The recording master key is not in the keyring: no recording can be opened."""


@dataclass(frozen=True)
class AudioFormat:
    rate: int = 16000
    channels: int = 2  # 2: local (left) and remote (right); 1: mixed
    sample_width: int = 2  # bytes, signed little-endian PCM

    @property
    def frame_bytes(self) -> int:
        return self.channels * self.sample_width

    @property
    def chunk_bytes(self) -> int:
        return int(self.rate * CHUNK_SECONDS) * self.frame_bytes


def wrap_key(master: bytes, key: bytes, recording_id: str) -> tuple[bytes, bytes]:
    nonce = secrets.token_bytes(12)
    return nonce, AESGCM(master).encrypt(nonce, key, _WRAP_AAD + recording_id.encode())


def unwrap_key(master: bytes, nonce: bytes, wrapped: bytes, recording_id: str) -> bytes:
    try:
        return AESGCM(master).decrypt(nonce, wrapped, _WRAP_AAD + recording_id.encode())
    except InvalidTag:
        raise RecordingError("the recording's key does not open with the recording master key in the keyring "
                             "(a different master key, or a damaged file header)") from None


def _aad(header_hash: bytes, index: int, final: bool) -> bytes:
    return header_hash + struct.pack(">IB", index, int(final))


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


class RecordingWriter:
    """Streams PCM into an encrypted file, one sealed chunk at a time, flushed to the OS as it goes.

    Nothing but ciphertext is ever written: the plaintext of a partial chunk lives only in memory.
    """

    def __init__(self, path: Path, master: bytes, recording_id: str, fmt: AudioFormat = AudioFormat()) -> None:
        self.path = Path(path)
        self.fmt = fmt
        self._key = secrets.token_bytes(KEY_BYTES)
        self._aead = AESGCM(self._key)
        self._prefix = secrets.token_bytes(8)
        wrap_nonce, wrapped = wrap_key(master, self._key, recording_id)
        header = json.dumps({
            "version": VERSION, "id": recording_id, "rate": fmt.rate, "channels": fmt.channels,
            "sample_width": fmt.sample_width, "chunk_bytes": fmt.chunk_bytes, "nonce_prefix": self._prefix.hex(),
            "wrap_nonce": wrap_nonce.hex(), "wrapped_key": wrapped.hex(),
        }, sort_keys=True).encode()
        self._hash = hashlib.sha256(header).digest()
        self._pending = bytearray()
        self._index = 0
        self.bytes_in = 0
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        self._fd = os.open(self.path, flags, 0o600)
        self._write(MAGIC + struct.pack(">I", len(header)) + header)

    def write(self, pcm: bytes | bytearray | memoryview) -> None:
        self._pending += pcm
        self.bytes_in += len(pcm)
        size = self.fmt.chunk_bytes
        while len(self._pending) >= size:
            self._seal(bytes(self._pending[:size]), final=False)
            del self._pending[:size]

    def close(self) -> None:
        """Seal what is left as the final chunk (possibly empty), and close the file."""
        if self._fd is None:
            return
        try:
            self._seal(bytes(self._pending), final=True)
            self._pending.clear()
            os.fsync(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None
            self._key = b""

    def _seal(self, plain: bytes, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index), plain, _aad(self._hash, self._index, final))
        self._write(sealed)
        self._index += 1

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]

    @property
    def seconds(self) -> float:
        return self.bytes_in / (self.fmt.rate * self.fmt.frame_bytes)


@dataclass
class ReadReport:
    chunks: int = 0
    good: int = 0
    damaged: list[int] = field(default_factory=list)  # indexes of chunks that failed authentication
    truncated: bool = False  # no final chunk: the recording was cut short
    seconds_recovered: float = 0.0

    @property
    def intact(self) -> bool:
        return not self.damaged and not self.truncated

    def describe(self) -> str:
        if self.intact:
            return f"intact ({self.seconds_recovered:.1f} s)"
        parts = []
        if self.damaged:
            parts.append(f"{len(self.damaged)} of {self.chunks} parts are damaged or were tampered with")
        if self.truncated:
            parts.append("it was cut short (the app or the call stopped while recording)")
        return "damaged: " + "; ".join(parts) + f"; {self.seconds_recovered:.1f} s can be recovered"


def read_header(f: BinaryIO) -> tuple[dict, bytes]:
    head = f.read(len(MAGIC) + 4)
    if len(head) < len(MAGIC) + 4 or head[:len(MAGIC)] != MAGIC:
        raise RecordingError("not an OctaSIP recording (wrong file signature)")
    (size,) = struct.unpack(">I", head[len(MAGIC):])
    if not 0 < size <= MAX_HEADER:
        raise RecordingError("the recording's header is damaged")
    raw = f.read(size)
    try:
        header = json.loads(raw)
        if header["version"] != VERSION:
            raise RecordingError(f"recording format version {header['version']} is not supported")
        for k in ("rate", "channels", "sample_width", "chunk_bytes"):
            int(header[k])
        bytes.fromhex(header["nonce_prefix"])
    except RecordingError:
        raise
    except (ValueError, KeyError, TypeError):
        raise RecordingError("the recording's header is damaged") from None
    return header, hashlib.sha256(raw).digest()


def decrypt(path: Path, master: bytes | None, report: ReadReport | None = None) -> Iterator[bytes]:
    """Yield the PCM of each chunk that authenticates; fill ``report`` with what was found.

    A damaged chunk is skipped (its audio replaced by silence, so timing is kept) and reported.
    """
    if master is None:
        raise MasterKeyMissingError("the recording master key is not in the keyring, so no recording can be "
                                    "opened (was the keyring reset?). The files were left untouched.")
    report = report if report is not None else ReadReport()
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below; a generator)
    except FileNotFoundError:
        raise RecordingError(f"the recording file {Path(path).name} is missing") from None
    with f:
        header, header_hash = read_header(f)
        key = unwrap_key(master, bytes.fromhex(header["wrap_nonce"]), bytes.fromhex(header["wrapped_key"]),
                         header["id"])
        aead = AESGCM(key)
        prefix = bytes.fromhex(header["nonce_prefix"])
        sealed_size = int(header["chunk_bytes"]) + TAG_BYTES
        frame = int(header["channels"]) * int(header["sample_width"])
        rate = int(header["rate"])
        index = 0
        chunk = f.read(sealed_size)
        saw_final = False
        while chunk:
            following = f.read(sealed_size)
            last = not following
            report.chunks += 1
            plain = None
            for final in ((True, False) if last else (False,)):
                try:
                    plain = aead.decrypt(_nonce(prefix, index), chunk, _aad(header_hash, index, final))
                    saw_final = final
                    break
                except InvalidTag:
                    continue
            if plain is None:
                report.damaged.append(index)
                plain = bytes(max(0, len(chunk) - TAG_BYTES))
            else:
                report.good += 1
            report.seconds_recovered += (len(plain) // frame) / rate if index not in report.damaged else 0.0
            yield plain
            index += 1
            chunk = following
        report.truncated = not saw_final


def audio_format(path: Path) -> AudioFormat:
    with open(path, "rb") as f:
        header, _ = read_header(f)
    return AudioFormat(int(header["rate"]), int(header["channels"]), int(header["sample_width"]))


def is_sealed(path: Path, master: bytes | None) -> bool:
    """Whether the file ends with its authenticated final chunk, i.e. it was closed properly. Reads only the
    header and the last chunk (cheap for a long recording); `decrypt` tells what else is damaged."""
    if master is None:
        raise MasterKeyMissingError("the recording master key is not in the keyring, so no recording can be "
                                    "opened (was the keyring reset?). The files were left untouched.")
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except FileNotFoundError:
        raise RecordingError(f"the recording file {Path(path).name} is missing") from None
    with f:
        header, header_hash = read_header(f)
        start = f.tell()
        body = os.fstat(f.fileno()).st_size - start
        sealed_size = int(header["chunk_bytes"]) + TAG_BYTES
        if sealed_size <= TAG_BYTES:
            raise RecordingError("the recording's header is damaged")
        # The writer's final chunk is always shorter than a full one; a full last chunk is tried as final too.
        index, size = divmod(body, sealed_size)
        if size == 0:
            index, size = index - 1, sealed_size
        if index < 0 or size < TAG_BYTES:
            return False
        f.seek(start + index * sealed_size)
        chunk = f.read(size)
        key = unwrap_key(master, bytes.fromhex(header["wrap_nonce"]),
                         bytes.fromhex(header["wrapped_key"]), header["id"])
        try:
            AESGCM(key).decrypt(_nonce(bytes.fromhex(header["nonce_prefix"]), index), chunk,
                                _aad(header_hash, index, True))
        except InvalidTag:
            return False
        return True
