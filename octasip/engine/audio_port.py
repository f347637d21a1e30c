"""Bridge between PJSIP's conference bridge and our own audio I/O: a pjsua2 AudioMediaPort with
bounded byte buffers on both sides.

Threads:
- The engine thread creates, connects, retires and destroys a `BridgePort` (like every pjsua2 object).
- PJSIP's clock thread (the null sound device's clock, one tick per ptime) calls `onFrameReceived`
  (audio from the bridge = the remote party, pushed into `port.playback`) and `onFrameRequested`
  (audio to the bridge = our microphone, popped from `port.capture`). Those callbacks only move
  bytes through the buffers: no Qt, no other pjsua2 object, no database, no blocking.
- The audio I/O thread (QtMultimedia, later) writes microphone PCM into `capture` and reads speaker
  PCM from `playback`, in chunks of any (even) size.

Frame copies cross into SWIG a constant number of times per frame, because every SWIG call releases
and retakes the GIL, and retaking it costs up to a switch interval (or the length of whatever C
call another thread is in) when Python is busy elsewhere. The supported ways to read a
`MediaFrame.buf` (`bytes(frame.buf)`, iterating it) make one call per byte: ~300 µs per 640-byte
frame when idle, seconds of backlog under load. Here:
- onFrameReceived makes no SWIG call: the `std::vector<unsigned char>` inside the C++ MediaFrame is
  found at its offset from the frame's SWIG `this` pointer, and its first two words are the begin
  and end pointers (libstdc++, libc++ and MSVC release builds all lay a vector out as begin, end,
  end-of-capacity); the bytes are copied with `(c_char * n).from_address(begin).raw`.
- onFrameRequested makes one: the PCM goes (memoryview copy) into a fixed-size ByteVector we own,
  `type` (a 4-byte enum at offset 0 of the standard-layout struct) is written in place, and
  `frame.buf = vec` copies the vector in C++.
`self_test()` checks all of that against the supported API at start-up and falls back, loudly, to
the supported path if anything differs. Nothing else here releases the GIL (ctypes.memmove would:
it is a CFUNCTYPE call).

Lifetime (pjsua2 2.15.1, pjsip/src/pjsua2/media.cpp and pjmedia/src/pjmedia/conference.c):
- `pjmedia_conf_remove_port()` only queues the removal; the clock thread applies it at its next tick.
  Until then the conference keeps calling the port; even a port with no connections gets a
  "heart-beat" put_frame (type NONE, size 0) every tick from write_port().
- `AudioMediaPort::~AudioMediaPort()` queues that removal and then, under the port's group lock
  (which get_frame/put_frame also hold around the callback), sets the C++ back-pointer to NULL:
  after the destructor returns, our Python callbacks are never called again. The pjmedia port and
  its pool stay alive (reference-counted) until the clock thread has removed the port.
- The danger is the Python side: if the proxy's last reference is simply dropped, CPython first
  clears the object's `__dict__` (our buffers) and only then runs the C++ destructor, with the GIL
  released; a callback arriving in that window runs on a half-dead object (use after free).
  Hence `BridgePort.destroy()`, which runs the C++ destructor explicitly while the Python object is
  still whole, and `PortReaper`, which keeps retired ports referenced and destroys them on the
  engine thread. Never let a BridgePort be garbage-collected without `destroy()`.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import logging
import math
import threading
import time
from array import array
from collections import deque
from dataclasses import dataclass

import pjsua2 as pj

log = logging.getLogger("octasip.engine.audio")

SAMPLE_BYTES = 2  # PCM16
LATE_MS = 40.0  # a frame this late (vs. the ideal clock schedule) is an audible glitch
_MAX_FRAME_BYTES = 1 << 20  # sanity bound for a pointer-derived size (1 MiB; a frame is ~kB)
_SPAN = ctypes.c_size_t * 2  # std::vector<T>: begin pointer, end pointer (, end of capacity)
_AUDIO = int(pj.PJMEDIA_FRAME_TYPE_AUDIO)
_frame_buf_offset = -1  # offset of MediaFrame::buf in the C++ struct, measured by self_test()

fast_path_ok: bool | None = None
"""Result of `self_test()`: True = constant-crossing copies, False = slow supported path (logged as
an error), None = not tested yet. Read it as `audio_port.fast_path_ok`."""


class FastPathError(RuntimeError):
    """The std::vector layout is not what the fast copy expects."""


# ---------------------------------------------------------------------------------- frame copies
def _span_at(addr: int) -> tuple[int, int]:
    """(begin, end) data pointers of the std::vector object at `addr`."""
    begin, end = _SPAN.from_address(addr)
    if not 0 <= end - begin <= _MAX_FRAME_BYTES or (begin == 0 and end != 0):
        raise FastPathError(f"implausible std::vector span ({begin:#x}, {end:#x})")
    return begin, end


def _vector_span(vec: pj.ByteVector) -> tuple[int, int]:
    return _span_at(int(vec.this))


def _copy_span(begin: int, end: int) -> bytes:
    return (ctypes.c_char * (end - begin)).from_address(begin).raw if end != begin else b""


def vector_bytes_fast(vec: pj.ByteVector) -> bytes:
    """A copy of a ByteVector's contents, without any SWIG call."""
    return _copy_span(*_vector_span(vec))


def frame_bytes_fast(frame: pj.MediaFrame) -> bytes:
    """A copy of `frame.buf`'s contents without any SWIG call: even the `buf` getter is skipped
    (the vector is found at its measured offset in the MediaFrame). Only after `self_test()`."""
    if _frame_buf_offset < 0:
        raise FastPathError("self_test() has not measured the MediaFrame layout")
    return _copy_span(*_span_at(int(frame.this) + _frame_buf_offset))


def _set_audio_type(frame: pj.MediaFrame) -> None:
    """frame.type = PJMEDIA_FRAME_TYPE_AUDIO without a SWIG call: `type` is the first member of the
    standard-layout MediaFrame (offset 0), a 4-byte enum (checked by self_test())."""
    ctypes.c_int.from_address(int(frame.this)).value = _AUDIO


def vector_bytes_slow(vec: pj.ByteVector) -> bytes:
    """The supported way: one SWIG call per byte."""
    return bytes(vec)


def frame_bytes(frame: pj.MediaFrame) -> bytes:
    """The PCM in `frame.buf`: no SWIG call on the fast path, one per byte on the slow one."""
    if fast_path_ok:
        return frame_bytes_fast(frame)
    return bytes(frame.buf)


class FrameWriter:
    """Makes `frame` an audio frame holding given bytes, with one SWIG call: the bytes are copied
    (memoryview, no GIL release) into a ByteVector we own, whose size never changes, the type is
    written in place, then `frame.buf = vec` copies the vector in C++. One writer per port, used on
    the clock thread only, and only when `self_test()` passed."""

    def __init__(self, nbytes: int) -> None:
        self.nbytes = nbytes
        self._vec = pj.ByteVector(nbytes)
        begin, end = _vector_span(self._vec)
        if end - begin != nbytes or begin == 0:
            raise FastPathError(f"ByteVector({nbytes}) spans {end - begin} bytes")
        self._view = memoryview((ctypes.c_ubyte * nbytes).from_address(begin)).cast("B")

    def put(self, frame: pj.MediaFrame, pcm: bytes) -> None:
        _set_audio_type(frame)
        if len(pcm) == self.nbytes:
            self._view[:] = pcm
            frame.buf = self._vec
        else:
            frame.buf = pj.ByteVector(pcm)


def put_frame_slow(frame: pj.MediaFrame, pcm: bytes) -> None:
    """Supported write: SWIG builds the vector from the bytes object in C (three SWIG calls)."""
    frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
    frame.buf = pj.ByteVector(pcm)


def self_test() -> bool:
    """Check the fast copies against the supported API; sets and returns `fast_path_ok`.

    Any thread; needs no Endpoint (ByteVector and MediaFrame are plain C++ objects). On failure it
    logs an error once and every port uses the slow path (which starves under GIL load).
    """
    global fast_path_ok
    if fast_path_ok is not None:
        return fast_path_ok
    try:
        _check_fast_path()
    except Exception as e:  # any failure means: do not trust the layout
        fast_path_ok = False
        log.error("audio frame fast copy disabled, using the slow per-byte SWIG path "
                  "(audio may break up under load): %s", e)
    else:
        fast_path_ok = True
    return fast_path_ok


def _check_fast_path() -> None:
    global _frame_buf_offset
    pattern_a = bytes((i * 7 + 3) & 0xFF for i in range(641))
    pattern_b = bytes((255 - i * 13) & 0xFF for i in range(640))
    pattern_c = bytes((i * 29 + 101) & 0xFF for i in range(320))

    vec = pj.ByteVector(pattern_a)  # supported constructor
    if int(vec.size()) != len(pattern_a):
        raise FastPathError("ByteVector(bytes) did not copy the bytes")
    begin, end = _SPAN.from_address(int(vec.this))
    if end - begin != len(pattern_a) or begin == 0:  # check before dereferencing anything
        raise FastPathError(f"begin/end words give {end - begin} bytes, size() is {len(pattern_a)}")
    if vector_bytes_fast(vec) != pattern_a:
        raise FastPathError("fast read differs from the vector's contents")
    vec.resize(5000)  # reallocates: the span must follow
    if vector_bytes_fast(vec) != pattern_a + bytes(5000 - len(pattern_a)):
        raise FastPathError("fast read after resize differs")
    if vector_bytes_fast(pj.ByteVector()) != b"":
        raise FastPathError("fast read of an empty vector is not empty")

    # MediaFrame {pjmedia_frame_type type; ByteVector buf; unsigned size;}: where is buf?
    frames = [pj.MediaFrame() for _ in range(3)]
    offsets = {int(f.buf.this) - int(f.this) for f in frames}
    if len(offsets) != 1 or not 4 <= (offset := offsets.pop()) <= 64 or offset % ctypes.sizeof(ctypes.c_void_p):
        raise FastPathError(f"MediaFrame::buf offsets {offsets} are implausible")
    _frame_buf_offset = offset

    frame = frames[0]  # the type field: 4 bytes at offset 0, next to nothing else
    frame.size = 0x5A5A
    frame.buf = pj.ByteVector(pattern_c)
    for value in (int(pj.PJMEDIA_FRAME_TYPE_NONE), _AUDIO):
        frame.type = value
        if ctypes.c_int.from_address(int(frame.this)).value != value:
            raise FastPathError("MediaFrame::type is not a 4-byte int at offset 0")
    frame.type = pj.PJMEDIA_FRAME_TYPE_NONE
    _set_audio_type(frame)
    if int(frame.type) != _AUDIO or int(frame.size) != 0x5A5A or vector_bytes_slow(frame.buf) != pattern_c:
        raise FastPathError("writing MediaFrame::type in place does not read back, or spills over")

    frame = frames[1]  # fast write, supported read
    writer = FrameWriter(len(pattern_b))
    writer.put(frame, pattern_b)
    if (vector_bytes_slow(frame.buf) != pattern_b or int(frame.buf.size()) != len(pattern_b)
            or int(frame.type) != _AUDIO):
        raise FastPathError("fast write reads back differently through the supported API")
    writer.put(frame, pattern_c)  # other size: supported constructor
    if vector_bytes_slow(frame.buf) != pattern_c:
        raise FastPathError("write of an odd-sized frame reads back differently")

    frame = frames[2]  # supported write, fast read
    if frame_bytes_fast(frame) != b"":
        raise FastPathError("fast read of an empty MediaFrame is not empty")
    frame.buf = pj.ByteVector(pattern_b)
    if frame_bytes_fast(frame) != pattern_b or vector_bytes_fast(frame.buf) != pattern_b:
        raise FastPathError("fast read of a MediaFrame differs from what was set")


# ---------------------------------------------------------------------------------- buffers
@dataclass(frozen=True)
class BufferStats:
    frames_in: int  # write() calls that added audio
    frames_out: int  # read() calls
    underruns: int  # reads padded with silence (not enough audio)
    overruns: int  # writes that pushed the oldest audio out
    dropped_bytes: int  # oldest audio dropped by overruns (and clear())
    silence_bytes: int  # silence handed out by underruns
    buffered_bytes: int
    max_bytes: int


class FrameBuffer:
    """A bounded FIFO of PCM16 bytes between two threads.

    `write(pcm)` takes chunks of any size; when more than `max_latency_ms` of audio would be buffered
    the OLDEST audio is dropped. `read(nbytes)` returns exactly `nbytes`: what is buffered, padded
    with silence on underrun (never old or repeated audio). Both are O(1) per chunk: chunks are kept
    as bytes objects in a deque, never copied on write; a read that matches the chunk size returns
    the chunk itself. The lock is only held for that bookkeeping, never while calling into SWIG.
    """

    def __init__(self, clock_rate: int = 16000, max_latency_ms: float = 60.0, channels: int = 1) -> None:
        if clock_rate <= 0 or channels <= 0 or max_latency_ms <= 0:
            raise ValueError("clock_rate, channels and max_latency_ms must be positive")
        self.clock_rate = clock_rate
        self.channels = channels
        self.align = SAMPLE_BYTES * channels
        self.bytes_per_ms = clock_rate * self.align / 1000.0
        self.max_bytes = max(self.align, int(self.bytes_per_ms * max_latency_ms) // self.align * self.align)
        self._chunks: deque[bytes] = deque()
        self._head = 0  # bytes of _chunks[0] already read
        self._size = 0  # bytes buffered
        self._carry = b""  # a write's trailing partial sample, completed by the next write
        self._lock = threading.Lock()
        self._silence = b""
        self.frames_in = self.frames_out = self.underruns = self.overruns = 0
        self.dropped_bytes = self.silence_bytes = 0

    @property
    def max_latency_ms(self) -> float:
        return self.max_bytes / self.bytes_per_ms

    @property
    def buffered_bytes(self) -> int:
        return self._size

    @property
    def latency_ms(self) -> float:
        return self._size / self.bytes_per_ms

    def write(self, pcm: bytes | bytearray | memoryview) -> int:
        """Append PCM; returns the number of old bytes dropped to stay within the bound."""
        data = pcm if type(pcm) is bytes else bytes(pcm)
        with self._lock:
            if self._carry:
                data = self._carry + data
                self._carry = b""
            rem = len(data) % self.align
            if rem:
                self._carry = data[-rem:]
                data = data[:-rem]
            if not data:
                return 0
            self.frames_in += 1
            n = len(data)
            if n >= self.max_bytes:  # this chunk alone fills the buffer: keep its newest part
                dropped = self._size + n - self.max_bytes
                self._chunks.clear()
                self._head = 0
                self._chunks.append(data[n - self.max_bytes:] if n > self.max_bytes else data)
                self._size = self.max_bytes
            else:
                self._chunks.append(data)
                self._size += n
                dropped = excess = self._size - self.max_bytes
                while excess > 0:
                    left = len(self._chunks[0]) - self._head
                    if left <= excess:
                        self._chunks.popleft()
                        self._head = 0
                        excess -= left
                    else:
                        self._head += excess
                        excess = 0
                if dropped > 0:
                    self._size = self.max_bytes
            if dropped > 0:
                self.overruns += 1
                self.dropped_bytes += dropped
                return dropped
            return 0

    def read(self, nbytes: int) -> bytes:
        """Exactly `nbytes` (a multiple of the sample size): buffered audio, then silence if short."""
        if nbytes < 0 or nbytes % self.align:
            raise ValueError(f"read size must be a non-negative multiple of {self.align} bytes, got {nbytes}")
        pieces: list[bytes] = []
        with self._lock:
            self.frames_out += 1
            take = min(nbytes, self._size)
            pad = nbytes - take
            if pad:
                self.underruns += 1
                self.silence_bytes += pad
            if take:
                self._size -= take
                chunks = self._chunks
                first = chunks[0]
                if self._head == 0 and len(first) == take:  # the common case: frame in, frame out
                    chunks.popleft()
                    if not pad:
                        return first
                    pieces.append(first)
                else:
                    need = take
                    while need:
                        first = chunks[0]
                        avail = len(first) - self._head
                        if avail <= need:
                            pieces.append(first[self._head:] if self._head else first)
                            chunks.popleft()
                            self._head = 0
                            need -= avail
                        else:
                            pieces.append(first[self._head:self._head + need])
                            self._head += need
                            need = 0
        if pad:
            pieces.append(self._zeros(pad))
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _zeros(self, n: int) -> bytes:
        silence = self._silence
        if len(silence) != n:
            silence = bytes(n)
            self._silence = silence  # reads are usually one size: allocate that once
        return silence

    def clear(self) -> None:
        """Drop everything buffered (e.g. on hold), counted as dropped."""
        with self._lock:
            self.dropped_bytes += self._size
            self._chunks.clear()
            self._head = self._size = 0
            self._carry = b""

    def stats(self) -> BufferStats:
        with self._lock:
            return BufferStats(self.frames_in, self.frames_out, self.underruns, self.overruns,
                               self.dropped_bytes, self.silence_bytes, self._size, self.max_bytes)


# ---------------------------------------------------------------------------------- timing
@dataclass(frozen=True)
class TimingSummary:
    count: int  # callbacks recorded in the window (the newest `capacity`)
    total: int  # callbacks since the start
    seconds: float
    interval_p50_ms: float
    interval_p99_ms: float
    interval_max_ms: float
    late_p50_ms: float  # lateness against the ideal schedule (one tick per ptime, anchored at the earliest)
    late_p99_ms: float
    late_max_ms: float
    frames_late: int  # frames more than LATE_MS late


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = math.ceil(q / 100.0 * len(sorted_values)) - 1  # nearest rank
    return sorted_values[min(len(sorted_values) - 1, max(0, k))]


class CallbackTiming:
    """Monotonic ns timestamps of the newest `capacity` callbacks, in a preallocated ring.

    `tick()` is one array store (clock thread); `summary()` runs on any other thread (a torn read
    of one slot at the edge of the window is harmless for statistics).
    """

    def __init__(self, capacity: int = 3000, ptime_ms: float = 20.0) -> None:
        if capacity < 2:
            raise ValueError("capacity must be at least 2")
        self.capacity = capacity
        self.ptime_ns = int(ptime_ms * 1e6)
        self._t = array("q", bytes(8 * capacity))
        self.count = 0

    def tick(self, t_ns: int) -> None:
        self._t[self.count % self.capacity] = t_ns
        self.count += 1

    def reset(self) -> None:
        self.count = 0

    def timestamps(self) -> list[int]:
        count, cap = self.count, self.capacity
        t = self._t.tolist()
        if count <= cap:
            return t[:count]
        i = count % cap
        return t[i:] + t[:i]

    def summary(self, late_ms: float = LATE_MS, since_ns: int = 0) -> TimingSummary:
        """Statistics of the recorded window, or of its callbacks at or after `since_ns`."""
        total = self.count
        ts = self.timestamps()
        if since_ns:
            ts = [t for t in ts if t >= since_ns]
        if len(ts) < 2:
            return TimingSummary(len(ts), total, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
        intervals = sorted((b - a) / 1e6 for a, b in itertools.pairwise(ts))
        p = self.ptime_ns
        offsets = [t - k * p for k, t in enumerate(ts)]
        base = min(offsets)
        late = sorted((o - base) / 1e6 for o in offsets)
        return TimingSummary(
            count=len(ts), total=total, seconds=(ts[-1] - ts[0]) / 1e9,
            interval_p50_ms=_percentile(intervals, 50), interval_p99_ms=_percentile(intervals, 99),
            interval_max_ms=intervals[-1],
            late_p50_ms=_percentile(late, 50), late_p99_ms=_percentile(late, 99), late_max_ms=late[-1],
            frames_late=sum(1 for v in late if v > late_ms),
        )


# ---------------------------------------------------------------------------------- the port
class BridgePort(pj.AudioMediaPort):
    """A conference-bridge port whose audio goes to/comes from two FrameBuffers.

    Engine thread only, except the two callbacks (clock thread) and the buffers (any thread):

        port = BridgePort("octasip-audio")          # createPort() on the conference bridge
        port.connect(call_audio_media)               # call -> playback, capture -> call
        ...
        port.disconnect(call_audio_media)            # e.g. on hold or call end (optional)
        reaper.retire(port)                          # stop transmissions, keep it alive
        reaper.reap()                                # every engine-loop turn: destroy when due
        reaper.destroy_all()                         # at shutdown, before libDestroy()
    """

    def __init__(self, name: str = "octasip-audio", clock_rate: int = 16000, ptime_ms: int = 20,
                 latency_ms: float = 60.0, fast: bool | None = None, timing_capacity: int = 3000,
                 playback: FrameBuffer | None = None, capture: FrameBuffer | None = None) -> None:
        """`playback`/`capture` may be long-lived buffers shared by successive ports (the audio I/O
        side then never sees a port come or go); they must match `clock_rate` (mono)."""
        if clock_rate <= 0 or ptime_ms <= 0 or clock_rate * ptime_ms % 1000:
            raise ValueError(f"{ptime_ms} ms at {clock_rate} Hz is not a whole number of samples")
        for buf in (playback, capture):
            if buf is not None and (buf.clock_rate != clock_rate or buf.channels != 1):
                raise ValueError(f"buffer is {buf.clock_rate} Hz x{buf.channels}, the port {clock_rate} Hz mono")
        super().__init__()  # after the checks: no half-made C++ object on bad input
        try:
            self.name = name
            self.clock_rate = clock_rate
            self.ptime_ms = ptime_ms
            self.samples_per_frame = clock_rate * ptime_ms // 1000
            self.frame_bytes = self.samples_per_frame * SAMPLE_BYTES
            # from the bridge (the remote party, for the speaker) and to the bridge (our microphone)
            self.playback = playback if playback is not None else FrameBuffer(clock_rate, latency_ms)
            self.capture = capture if capture is not None else FrameBuffer(clock_rate, latency_ms)
            self.rx_timing = CallbackTiming(timing_capacity, ptime_ms)  # onFrameReceived
            self.tx_timing = CallbackTiming(timing_capacity, ptime_ms)  # onFrameRequested
            self.rx_audio_frames = 0  # frames with audio (heart-beat frames are empty)
            self.callback_errors = 0
            self.last_error = ""
            self.retired_at: float | None = None
            ok = self_test()
            self.fast = ok if fast is None else bool(fast and ok)
            self._writer = FrameWriter(self.frame_bytes) if self.fast else None
            self._size_checked = False
            self._media: list[pj.AudioMedia] = []
            self._open = False
            self._destroyed = False
            fmt = pj.MediaFormatAudio()
            fmt.init(pj.PJMEDIA_FORMAT_PCM, clock_rate, 1, ptime_ms * 1000, 16, clock_rate * 16, clock_rate * 16)
            self.createPort(name, fmt)
        except BaseException:  # never leave a half-made C++ port for the garbage collector
            self._open = False
            self._destroyed = False
            self._media = []
            self.destroy()
            raise
        self._open = True

    # ---- clock thread: never raise (an exception would unwind through PJSIP's C code)
    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        self.rx_timing.tick(time.monotonic_ns())
        if not self._open:
            return
        try:
            data = frame_bytes_fast(frame) if self.fast else bytes(frame.buf)
            if data:
                self.rx_audio_frames += 1
                self.playback.write(data)
        except Exception as e:
            self._failed(e)

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:
        self.tx_timing.tick(time.monotonic_ns())
        if not self._open:
            return  # the frame stays type NONE, empty: the bridge treats it as no audio
        try:
            nbytes = self.frame_bytes
            if not self._size_checked:  # once: the bridge asks for our format's frame size
                self._size_checked = True
                asked = int(frame.size)
                if asked != nbytes:
                    log.error("audio port %s: bridge asks %d-byte frames, expected %d", self.name, asked, nbytes)
                    self.frame_bytes = nbytes = asked - asked % SAMPLE_BYTES
                    self._writer = FrameWriter(nbytes) if self.fast else None
            pcm = self.capture.read(nbytes)
            if self._writer is not None:
                self._writer.put(frame, pcm)  # one SWIG call
            else:
                put_frame_slow(frame, pcm)
        except Exception as e:
            self._failed(e)

    def _failed(self, e: Exception) -> None:
        self.callback_errors += 1
        if self.callback_errors == 1:
            self.last_error = f"{type(e).__name__}: {e}"  # logged by the engine thread, not here

    # ---- engine thread
    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def destroyed(self) -> bool:
        return self._destroyed

    def connect(self, media: pj.AudioMedia) -> None:
        """Call audio -> playback and capture -> call (both queued for the next clock tick)."""
        if not self._open:
            raise RuntimeError(f"audio port {self.name} is retired")
        media.startTransmit(self)
        self.startTransmit(media)
        if not any(m is media for m in self._media):
            self._media.append(media)

    def disconnect(self, media: pj.AudioMedia) -> None:
        """Stop both directions; harmless if the call's media is already gone."""
        with contextlib.suppress(pj.Error):
            media.stopTransmit(self)
        if not self._destroyed:
            with contextlib.suppress(pj.Error):
                self.stopTransmit(media)
        self._media = [m for m in self._media if m is not media]

    def retire(self) -> None:
        """Stop all transmissions and make the callbacks no-ops. The object must stay referenced
        until `destroy()` (use `PortReaper`); the buffers stay valid for a final read."""
        self._open = False
        for media in list(self._media):
            self.disconnect(media)
        if self.retired_at is None:
            self.retired_at = time.monotonic()

    def destroy(self) -> None:
        """Run the C++ destructor now, while this Python object is whole (engine thread).

        It queues the removal from the bridge and waits (GIL released) for a callback in progress;
        afterwards PJSIP never calls this object again. Idempotent. Call it before libDestroy().
        """
        if self._destroyed:
            return
        self._open = False
        self._destroyed = True
        self._media.clear()
        pj.AudioMediaPort.__swig_destroy__(self)  # SWIG disowns the proxy: no second delete later

    def __repr__(self) -> str:
        state = "destroyed" if self._destroyed else "open" if self._open else "retired"
        return f"<BridgePort {self.name} {self.clock_rate} Hz {self.ptime_ms} ms {state}>"


class PortReaper:
    """Engine thread only: keeps retired ports alive for `grace_s`, then destroys them."""

    def __init__(self, grace_s: float = 0.1) -> None:
        self.grace_s = grace_s
        self._ports: list[tuple[float, BridgePort]] = []

    def __len__(self) -> int:
        return len(self._ports)

    def retire(self, port: BridgePort, now: float | None = None) -> None:
        port.retire()
        if not any(p is port for _, p in self._ports):
            self._ports.append(((time.monotonic() if now is None else now) + self.grace_s, port))

    def reap(self, now: float | None = None) -> int:
        """Destroy the ports whose grace period is over; returns how many."""
        if not self._ports:
            return 0
        now = time.monotonic() if now is None else now
        due = [p for at, p in self._ports if at <= now]
        if due:
            self._ports = [(at, p) for at, p in self._ports if at > now]
            for port in due:
                _report_errors(port)
                port.destroy()
        return len(due)

    def destroy_all(self) -> int:
        """Destroy every retired port now (shutdown, before libDestroy())."""
        ports = [p for _, p in self._ports]
        self._ports.clear()
        for port in ports:
            _report_errors(port)
            port.destroy()
        return len(ports)


def _report_errors(port: BridgePort) -> None:
    if port.callback_errors:
        log.error("audio port %s: %d callback errors, first: %s", port.name, port.callback_errors, port.last_error)
