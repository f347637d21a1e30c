"""The audio bridge port (octasip/engine/audio_port.py): buffers, the fast frame copy, the port's
lifetime, and a live call through Kamailio to baresip with audio both ways.

The pjsua2 tests run their own Endpoint on the test thread (one Endpoint per process: each test
destroys it before it ends), playing the engine thread's part. `MiniUA` is also used by
benchmarks/bench_audio_frames.py.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import logging
import math
import os
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pjsua2 as pj
import pytest

from octasip.engine import audio_port
from octasip.engine.audio_port import BridgePort, CallbackTiming, FrameBuffer, PortReaper
from tests.servers.audio import has_tone
from tests.servers.kamailio import Kamailio

RATE = 16000
FRAME = 640  # 20 ms of 16 kHz mono PCM16


# ------------------------------------------------------------------ helpers
def tone_pcm(hz: float, n_samples: int, start: int = 0, rate: int = RATE, amplitude: float = 0.3) -> bytes:
    return struct.pack(f"<{n_samples}h", *(int(32767 * amplitude * math.sin(2 * math.pi * hz * (start + i) / rate))
                                           for i in range(n_samples)))


def tone_ratio(pcm: bytes, hz: float, rate: int = RATE, skip_seconds: float = 0.5) -> float:
    """How far `hz` stands out of the spectrum (peak in +-15 Hz / median magnitude)."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)[int(skip_seconds * rate):]
    if len(samples) < rate // 10:
        return 0.0
    mags = np.abs(np.fft.rfft((samples - samples.mean()) * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1.0 / rate)
    band = mags[(freqs > hz - 15) & (freqs < hz + 15)]
    return float(band.max()) / (float(np.median(mags)) or 1e-12)


def dominant_hz(pcm: bytes, rate: int = RATE, skip_seconds: float = 0.5) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)[int(skip_seconds * rate):]
    mags = np.abs(np.fft.rfft((samples - samples.mean()) * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1.0 / rate)[int(np.argmax(mags))])


def frames(*values: int, size: int = FRAME) -> list[bytes]:
    return [bytes([v]) * size for v in values]


@contextlib.contextmanager
def quiet_stdout():
    """pjlib prints a banner on libCreate before any log setting applies."""
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


# ------------------------------------------------------------------ a minimal pjsua2 user agent
class _Account(pj.Account):
    def __init__(self) -> None:
        super().__init__()
        self.code = 0
        self.expires = 0

    def onRegState(self, prm: pj.OnRegStateParam) -> None:
        self.code = int(prm.code)
        self.expires = int(prm.expiration)


class _Call(pj.Call):
    def __init__(self, acc: pj.Account, call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(acc, call_id)
        self.state = -1
        self.code = 0
        self.audio: pj.AudioMedia | None = None

    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        ci = self.getInfo()
        self.state = int(ci.state)
        self.code = int(ci.lastStatusCode)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        ci = self.getInfo()
        medias = ci.media  # keep `ci` alive while iterating
        for m in medias:
            if m.type == pj.PJMEDIA_TYPE_AUDIO and m.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.audio = self.getAudioMedia(int(m.index))
                return

    def onStreamDestroyed(self, prm: pj.OnStreamDestroyedParam) -> None:
        self.audio = None

    def tx_rx_packets(self) -> tuple[int, int]:
        st = self.getStreamStat(0)
        return int(st.rtcp.txStat.pkt), int(st.rtcp.rxStat.pkt)


class MiniUA:
    """An Endpoint owned by the calling thread, configured like octasip's engine (16 kHz bridge,
    null sound device, threadCnt=0, mainThreadOnly). Everything else is the caller's job."""

    def __init__(self) -> None:
        ep = pj.Endpoint()
        with quiet_stdout():
            ep.libCreate()
        self.ep: pj.Endpoint | None = ep
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.logConfig.level = 0
        cfg.logConfig.consoleLevel = 0
        med = cfg.medConfig
        med.clockRate = RATE
        med.sndClockRate = RATE
        med.channelCount = 1
        med.ecTailLen = 0
        med.noVad = True
        med.threadCnt = 1
        try:
            ep.libInit(cfg)
            ep.audDevManager().setNullDev()
            ep.libStart()
        except BaseException:
            ep.libDestroy(pj.PJSUA_DESTROY_NO_RX_MSG)
            raise
        self.reaper = PortReaper()
        self.ports: list[BridgePort] = []
        self.accounts: list[_Account] = []
        self.calls: list[_Call] = []

    def pump(self, until: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
        assert self.ep is not None
        end = time.monotonic() + timeout
        while not until():
            if time.monotonic() >= end:
                raise AssertionError(f"timed out waiting for {what}")
            self.ep.libHandleEvents(10)

    def run_for(self, seconds: float) -> None:
        assert self.ep is not None
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.ep.libHandleEvents(10)

    def port(self, name: str, **kw) -> BridgePort:
        port = BridgePort(name, **kw)
        self.ports.append(port)
        return port

    def tls_account(self, kam: Kamailio, user: str) -> _Account:
        """Registered over TLS (verified against the test CA), SRTP mandatory, as the engine does."""
        assert self.ep is not None
        tc = pj.TransportConfig()
        tc.port = 0
        tc.boundAddress = kam.host
        tc.publicAddress = kam.host
        tc.tlsConfig.CaListFile = str(kam.pki.ca_cert)
        tc.tlsConfig.verifyServer = True
        tc.tlsConfig.method = pj.PJSIP_TLSV1_2_METHOD
        tid = self.ep.transportCreate(pj.PJSIP_TRANSPORT_TLS, tc)
        proxy = kam.proxy_uri("tls")
        ac = pj.AccountConfig()
        ac.idUri = kam.aor(user)
        ac.regConfig.registrarUri = proxy
        ac.sipConfig.proxies.append(f"{proxy};lr")
        ac.sipConfig.transportId = tid
        ac.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", user, 0, kam.users[user]))
        ac.natConfig.sipOutboundUse = 0
        ac.natConfig.iceEnabled = False
        ac.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_MANDATORY
        ac.mediaConfig.srtpSecureSignaling = 1
        ac.mediaConfig.rtcpMuxEnabled = False
        ac.mediaConfig.transportConfig.boundAddress = kam.host
        ac.mediaConfig.transportConfig.publicAddress = kam.host
        acc = _Account()
        acc.create(ac)
        self.accounts.append(acc)
        self.pump(lambda: acc.code != 0, what=f"REGISTER of {user}")
        assert acc.code // 100 == 2 and acc.expires > 0, f"registration failed: {acc.code}"
        return acc

    def call(self, acc: _Account, uri: str) -> _Call:
        call = _Call(acc)
        self.calls.append(call)
        call.makeCall(uri, pj.CallOpParam(True))
        self.pump(lambda: call.audio is not None or call.state == pj.PJSIP_INV_STATE_DISCONNECTED,
                  what="call media")
        assert call.audio is not None, f"call failed: {call.code}"
        return call

    def hangup(self, call: _Call) -> None:
        if call.state != pj.PJSIP_INV_STATE_DISCONNECTED:
            with contextlib.suppress(pj.Error):
                call.hangup(pj.CallOpParam(True))
            self.pump(lambda: call.state == pj.PJSIP_INV_STATE_DISCONNECTED, 5.0, "call end")

    def close(self) -> None:
        """Ports, calls, accounts, then libDestroy: all on this thread."""
        ep = self.ep
        if ep is None:
            return
        with contextlib.suppress(pj.Error):
            ep.hangupAllCalls()
        end = time.monotonic() + 3.0
        while time.monotonic() < end and any(c.state != pj.PJSIP_INV_STATE_DISCONNECTED and c.state != -1
                                             for c in self.calls):
            ep.libHandleEvents(10)
        for port in self.ports:
            if not port.destroyed:
                self.reaper.retire(port)
        self.reaper.destroy_all()
        self.ports.clear()
        # Delete the C++ objects now, on this thread while the library lives: a Python reference
        # left somewhere (e.g. in a failed test's traceback) must not delete them after libDestroy.
        for call in self.calls:
            call.audio = None
            pj.Call.__swig_destroy__(call)
        self.calls.clear()
        for acc in self.accounts:
            with contextlib.suppress(pj.Error):
                acc.shutdown()
            pj.Account.__swig_destroy__(acc)
        self.accounts.clear()
        gc.collect()
        self.ep = None
        ep.libDestroy(pj.PJSUA_DESTROY_NO_RX_MSG)
        del ep


@pytest.fixture
def ua():
    agent = MiniUA()
    try:
        yield agent
    finally:
        agent.close()


def loop_audio(ua: MiniUA, src: BridgePort, dst: BridgePort, pcm: bytes) -> bytes:
    """Feed `pcm` into src.capture in real time (src -> dst on the bridge); collect dst.playback."""
    got = bytearray()
    pos = 0
    end = time.monotonic() + len(pcm) / (RATE * 2) + 0.5
    while time.monotonic() < end:
        if pos < len(pcm) and src.capture.buffered_bytes <= FRAME:
            src.capture.write(pcm[pos:pos + FRAME])
            pos += FRAME
        while dst.playback.buffered_bytes >= FRAME:
            got += dst.playback.read(FRAME)
        ua.ep.libHandleEvents(2)  # type: ignore[union-attr]
    return bytes(got)


# ------------------------------------------------------------------ FrameBuffer
def test_frames_come_out_in_order_and_unchanged():
    buf = FrameBuffer(RATE, 60)
    a, b = frames(1, 2)
    buf.write(a)
    buf.write(b)
    assert buf.read(FRAME) is a  # a frame-sized read hands out the chunk itself
    assert buf.read(FRAME) == b
    s = buf.stats()
    assert (s.frames_in, s.frames_out, s.underruns, s.overruns, s.buffered_bytes) == (2, 2, 0, 0, 0)


def test_arbitrary_chunk_sizes_keep_the_byte_stream():
    buf = FrameBuffer(RATE, 100)
    stream = bytes(range(256)) * 12  # 3072 bytes
    out = bytearray()
    pos = 0
    for size in (2, 1000, 302, 640, 4, 1124):
        buf.write(stream[pos:pos + size])
        pos += size
        while buf.buffered_bytes >= 96:
            out += buf.read(96)
    out += buf.read(buf.buffered_bytes)
    assert pos == len(stream)
    assert bytes(out) == stream
    assert buf.stats().overruns == 0


def test_overrun_drops_the_oldest_audio():
    buf = FrameBuffer(RATE, 60)  # 60 ms = 1920 bytes = 3 frames
    assert buf.max_bytes == 1920
    for f in frames(1, 2, 3, 4, 5):
        buf.write(f)
    assert buf.buffered_bytes == 1920
    assert [buf.read(FRAME) for _ in range(3)] == frames(3, 4, 5)
    s = buf.stats()
    assert (s.overruns, s.dropped_bytes, s.underruns) == (2, 2 * FRAME, 0)


def test_overrun_inside_a_chunk_and_by_one_big_chunk():
    buf = FrameBuffer(RATE, 60)
    buf.write(b"\x01" * 1000)
    buf.write(b"\x02" * 1000)  # 80 bytes of the first chunk must go
    assert buf.read(1920) == b"\x01" * 920 + b"\x02" * 1000
    buf.write(b"\x03" * 100)
    big = bytes(range(256)) * 10  # 2560 bytes: more than the bound on its own
    assert buf.write(big) == 100 + 2560 - 1920
    assert buf.read(1920) == big[-1920:]
    assert buf.stats().dropped_bytes == 80 + 100 + 640


def test_underrun_returns_silence_never_old_audio():
    buf = FrameBuffer(RATE, 60)
    assert buf.read(FRAME) == bytes(FRAME)
    a = b"\x07" * 200
    buf.write(a)
    assert buf.read(FRAME) == a + bytes(FRAME - 200)  # what there is, then silence
    assert buf.read(FRAME) == bytes(FRAME)  # the same audio is never handed out again
    s = buf.stats()
    assert (s.underruns, s.silence_bytes) == (3, 2 * FRAME + FRAME - 200)


@pytest.mark.parametrize(("rate", "latency_ms", "max_bytes"), [(16000, 60, 1920), (8000, 60, 960),
                                                               (48000, 40, 3840), (16000, 100, 3200)])
def test_latency_bound(rate, latency_ms, max_bytes):
    buf = FrameBuffer(rate, latency_ms)
    assert buf.max_bytes == max_bytes
    frame = bytes(rate // 50 * 2)
    for _ in range(50):
        buf.write(frame)
        assert buf.latency_ms <= latency_ms
    assert buf.latency_ms == pytest.approx(latency_ms)
    assert buf.max_latency_ms == pytest.approx(latency_ms)


def test_partial_samples_and_bad_sizes():
    buf = FrameBuffer(RATE, 60)
    buf.write(b"\x01\x02\x03")  # the odd byte waits for its other half
    assert buf.buffered_bytes == 2
    buf.write(b"\x04")
    assert buf.read(4) == b"\x01\x02\x03\x04"
    with pytest.raises(ValueError, match="multiple of 2"):
        buf.read(3)
    with pytest.raises(ValueError):
        FrameBuffer(RATE, 0)
    buf.write(bytearray(b"\x05\x06"))
    buf.write(memoryview(b"\x07\x08"))
    buf.clear()
    assert buf.buffered_bytes == 0 and buf.read(2) == b"\x00\x00"


def test_two_threads_never_reorder_or_repeat():
    """A producer and a consumer hammering the buffer: a counter only ever goes up (drops allowed)."""
    buf = FrameBuffer(RATE, 60)  # 1920 bytes; every size below is a multiple of 4, like the drops
    n_chunks = 4000
    sizes = [80 + (i % 7) * 48 for i in range(n_chunks)]  # 32-bit counters per chunk
    seen: list[int] = []

    def produce() -> None:
        value = 1
        for i, size in enumerate(sizes):
            buf.write(struct.pack(f"<{size}I", *range(value, value + size)))
            value += size
            if i % 50 == 0:
                time.sleep(0)

    def consume(stop: threading.Event) -> None:
        while not stop.is_set() or buf.buffered_bytes:
            data = buf.read(FRAME)
            seen.extend(v for v in struct.unpack(f"<{FRAME // 4}I", data) if v)

    stop = threading.Event()
    reader = threading.Thread(target=consume, args=(stop,))
    reader.start()
    produce()
    stop.set()
    reader.join(10)
    assert all(cur > prev for prev, cur in itertools.pairwise(seen))
    s = buf.stats()
    assert s.frames_in == n_chunks
    assert len(seen) + s.dropped_bytes // 4 == sum(sizes)


# ------------------------------------------------------------------ timing statistics
def test_callback_timing_summary():
    t = CallbackTiming(capacity=100, ptime_ms=20)
    base = 1_000_000_000
    for k in range(150):
        late = 45_000_000 if k == 120 else 0  # one frame 45 ms late, the next on time
        t.tick(base + k * 20_000_000 + late)
    s = t.summary()
    assert (s.count, s.total) == (100, 150)
    assert s.interval_p50_ms == pytest.approx(20.0)
    assert s.interval_max_ms == pytest.approx(65.0)
    assert s.late_max_ms == pytest.approx(45.0)
    assert s.frames_late == 1
    assert s.late_p50_ms == 0.0


# ------------------------------------------------------------------ fast copy and the port, in an Endpoint
def test_fast_copy_self_test_inside_an_endpoint(ua, monkeypatch):
    monkeypatch.setattr(audio_port, "fast_path_ok", None)
    assert audio_port.self_test() is True
    assert audio_port.fast_path_ok is True
    frame = pj.MediaFrame()
    pcm = tone_pcm(440, 320)
    frame.buf = pj.ByteVector(pcm)
    assert audio_port.frame_bytes(frame) == pcm == audio_port.vector_bytes_slow(frame.buf)
    writer = audio_port.FrameWriter(FRAME)
    for value in (0x11, 0xEE):
        writer.put(frame, bytes([value]) * FRAME)
        assert bytes(frame.buf) == bytes([value]) * FRAME
        assert frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO


class _ShiftedLayout:
    """A vector layout with one extra word in front (like MSVC debug builds): must be refused."""

    @staticmethod
    def from_address(addr: int) -> tuple[int, int]:
        words = (ctypes.c_size_t * 3).from_address(addr)
        return words[1], words[2]


def test_wrong_layout_falls_back_loudly_to_the_slow_path(ua, monkeypatch, caplog):
    monkeypatch.setattr(audio_port, "fast_path_ok", None)
    monkeypatch.setattr(audio_port, "_SPAN", _ShiftedLayout)
    with caplog.at_level(logging.ERROR, logger="octasip.engine.audio"):
        assert audio_port.self_test() is False
        assert audio_port.self_test() is False  # cached: logged once
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "slow per-byte" in errors[0].getMessage()
    src, dst = ua.port("src"), ua.port("dst")
    assert not src.fast and not dst.fast
    src.startTransmit(dst)
    pcm = tone_pcm(440, RATE // 2)
    got = loop_audio(ua, src, dst, pcm)
    assert pcm in got  # the slow path still carries the audio, bit for bit
    assert src.callback_errors == dst.callback_errors == 0


@pytest.mark.parametrize("fast", [True, False])
def test_bridge_to_bridge_is_bit_exact(ua, fast):
    """capture of one port -> the conference bridge -> playback of another, same 16 kHz format."""
    src, dst = ua.port("src", fast=fast), ua.port("dst", fast=fast)
    assert src.fast is fast and audio_port.fast_path_ok
    src.startTransmit(dst)
    pcm = tone_pcm(440, RATE)  # 1 s
    got = loop_audio(ua, src, dst, pcm)
    assert pcm in got
    assert src.capture.stats().overruns == 0 and dst.playback.stats().overruns == 0
    assert src.callback_errors == dst.callback_errors == 0
    assert src.tx_timing.count >= 40 and dst.rx_audio_frames >= 50


def test_successive_ports_can_share_long_lived_buffers(ua):
    """The audio I/O side keeps its two buffers while ports come and go with calls."""
    playback, capture = FrameBuffer(RATE, 60), FrameBuffer(RATE, 60)
    with pytest.raises(ValueError, match="8000 Hz"):
        BridgePort("bad", playback=FrameBuffer(8000, 60))
    with pytest.raises(ValueError, match="whole number"):
        BridgePort("bad", clock_rate=16000, ptime_ms=0)
    pcm = tone_pcm(440, RATE // 2)
    for name in ("first", "second"):
        port = ua.port(name, playback=playback, capture=capture)
        assert port.playback is playback and port.capture is capture
        peer = ua.port(f"{name}-peer")
        peer.connect(port)  # peer.capture -> port.playback, port.capture -> peer.playback
        assert pcm in loop_audio(ua, peer, port, pcm)
        ua.reaper.retire(port)
        ua.reaper.retire(peer)
        ua.run_for(0.1)
        assert ua.reaper.reap() == 2
    assert playback.stats().frames_in >= 2 * 25


class _SlowPort(BridgePort):
    """Spends 30 ms in every received frame (GIL released by sleep), to race destroy()."""

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        time.sleep(0.03)
        super().onFrameReceived(frame)


def test_retire_then_destroy_stops_every_callback(ua):
    port = _SlowPort("slow")
    ua.ports.append(port)
    other = ua.port("other")
    other.startTransmit(port)
    ua.run_for(0.2)
    assert port.rx_timing.count > 0
    reaper = PortReaper(grace_s=0.1)
    t0 = time.monotonic()
    reaper.retire(port, now=t0)
    assert not port.is_open and not port.destroyed and len(reaper) == 1
    assert reaper.reap(now=t0 + 0.05) == 0  # still in its grace period: alive and referenced
    ua.run_for(0.1)
    assert reaper.reap(now=t0 + 0.1) == 1  # destroy() waits for a callback in progress
    assert port.destroyed and len(reaper) == 0
    count = port.rx_timing.count
    ua.run_for(0.2)
    assert port.rx_timing.count == count  # PJSIP never calls it again
    port.destroy()  # idempotent
    assert port.playback.read(FRAME) == bytes(FRAME)  # buffers stay usable after destroy
    assert repr(port).endswith("destroyed>")
    with pytest.raises(RuntimeError, match="retired"):
        port.connect(other)


def test_ports_survive_an_abrupt_close(ua):
    """close(): retire + destroy_all right before libDestroy, with audio still flowing."""
    a, b = ua.port("a"), ua.port("b")
    a.connect(b)
    ua.run_for(0.1)
    assert a.rx_audio_frames and b.rx_audio_frames
    ua.close()
    assert a.destroyed and b.destroyed


# ------------------------------------------------------------------ a live call
@pytest.mark.real
def test_live_call_audio_both_ways_through_the_bridge_port(ua, kam, baresip_factory):
    """alice (pjsua2 + BridgePort) -> Kamailio (TLS) -> bob (baresip, SRTP, 1000 Hz tone).

    A reader thread drains `playback` like the Qt sink will (10 ms at a time, in real time) and a
    writer thread feeds `capture` with 440 Hz like the Qt source will (20 ms chunks).
    """
    bob = baresip_factory(user="bob", kamailio=kam, transport="tls", mediaenc="srtp-mand", tone_hz=1000)
    alice = ua.tls_account(kam, "alice")
    call = ua.call(alice, "sip:bob@127.0.0.1;transport=tls")
    port = ua.port("alice-audio")
    assert port.fast
    assert call.audio is not None
    port.connect(call.audio)

    received = bytearray()
    stop = threading.Event()

    def sink() -> None:  # the speaker side
        t = time.monotonic()
        while not stop.is_set():
            received.extend(port.playback.read(320))
            t += 0.010
            time.sleep(max(0.0, t - time.monotonic()))

    def source() -> None:  # the microphone side
        t = time.monotonic()
        n = 0
        while not stop.is_set():
            port.capture.write(tone_pcm(440, 320, start=n))
            n += 320
            t += 0.020
            time.sleep(max(0.0, t - time.monotonic()))

    threads = [threading.Thread(target=sink, name="sink"), threading.Thread(target=source, name="source")]
    for th in threads:
        th.start()
    try:
        ua.run_for(4.0)
        tx_pkts, rx_pkts = call.tx_rx_packets()
    finally:
        stop.set()
        for th in threads:
            th.join(2)
    ua.hangup(call)
    ua.reaper.retire(port)
    ua.run_for(0.15)
    assert ua.reaper.reap() == 1 and port.destroyed
    bob.stop()

    pb, cap = port.playback.stats(), port.capture.stats()
    assert port.callback_errors == 0, port.last_error
    assert pb.overruns == 0 and pb.dropped_bytes == 0, pb  # (c) a draining reader loses nothing
    assert cap.overruns == 0, cap
    assert port.rx_audio_frames >= 150  # ~4 s at 50 frames/s
    assert tx_pkts >= 150 and rx_pkts >= 150
    assert tone_ratio(bytes(received), 1000) > 50, "bob's 1000 Hz tone did not reach playback"  # (a)
    assert abs(dominant_hz(bytes(received)) - 1000) < 10
    wavs = bob.received_audio_wavs()
    assert wavs, "baresip wrote no received-audio WAV"
    assert has_tone(Path(wavs[-1]), 440), "our 440 Hz capture did not reach baresip"  # (b)
