"""Mouth-to-ear latency that OctaSIP's audio path adds, measured with a click through PulseAudio.

A private PulseAudio daemon (null speaker, virtual microphone). A combine-sink plays a click to the
speaker and into the microphone at the same moment. OctaSIP loops the microphone to the speaker
through its whole audio path: QAudioSource -> capture buffer -> BridgePort on PJSIP's conference
bridge -> playback buffer -> QAudioSink. The speaker's monitor is recorded once, so both clicks lie
on one timeline: the gap between them is what OctaSIP adds, capture and playback halves together
(one direction of an OctaSIP-to-OctaSIP call; no RTP or jitter buffer, which are the network's).
Target: <= 60 ms. Measured with echo cancellation off: the canceller would remove the click.
"""

from __future__ import annotations

import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers.audio import read_wav_mono  # noqa: E402
from tests.servers.pulseaudio import MIC, MIC_FEED, SPEAKER, PulseAudio, write_wav  # noqa: E402


def click_wav(path: Path, rate: int = 48000) -> Path:
    pcm = np.zeros(int(rate * 0.6), dtype="<i2")
    pcm[int(0.05 * rate): int(0.05 * rate) + int(0.004 * rate)] = 20000
    return write_wav(path, pcm.tobytes(), rate, 1)


def onsets(path: Path, threshold: float = 0.1, gap_s: float = 0.004) -> list[float]:
    samples, rate = read_wav_mono(path)
    loud = np.flatnonzero(np.abs(samples) >= threshold)
    times, last = [], -1.0
    for i in loud:
        t = i / rate
        if t - last > gap_s:
            times.append(t)
        last = t
    return times


def clicks_through(pulse: PulseAudio, work: Path, name: str, pump) -> tuple[list[float], Path]:
    rec = pulse.start_recording(work / f"{name}.wav")
    click = click_wav(work / "click.wav")
    for _ in range(8):
        subprocess.run(["paplay", "--device=both", str(click)], env=pulse.client_env(), check=True)
        pump(0.25)
    wav = rec.stop()
    times = onsets(wav)
    if os.environ.get("LATENCY_DEBUG"):
        print(name, [round(t, 3) for t in times])
    return [(b - a) * 1000 for a, b in itertools.pairwise(times) if 0.004 < b - a < 0.3], wav


def baseline(pulse: PulseAudio, work: Path) -> list[float]:
    """The same click loop through PulseAudio's own loopback at its minimum latency: what the
    virtual microphone and the null devices cost by themselves, without OctaSIP."""
    module = pulse.pactl("load-module", "module-loopback", f"source={MIC}", f"sink={SPEAKER}",
                         "latency_msec=1").strip()
    time.sleep(1.0)
    try:
        gaps, _ = clicks_through(pulse, work, "baseline", time.sleep)
    finally:
        pulse.pactl("unload-module", module)
    return gaps


def main() -> None:
    import pjsua2 as pj

    work = Path(tempfile.mkdtemp(prefix="octasip-latency-"))
    with PulseAudio(work / "pulse") as pulse:
        os.environ.update(pulse.env)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        pulse.stop_mic()
        pulse.pactl("load-module", "module-combine-sink", "sink_name=both", f"slaves={MIC_FEED},{SPEAKER}")
        base = baseline(pulse, work)
        from octasip.audio_qt_io import DeviceAudio
        from octasip.engine.audio_port import BridgePort, FrameBuffer

        ep = pj.Endpoint()
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.logConfig.level = cfg.logConfig.consoleLevel = 0
        cfg.medConfig.clockRate = cfg.medConfig.sndClockRate = 16000
        ep.libInit(cfg)
        ep.audDevManager().setNullDev()
        ep.libStart()
        capture, playback = FrameBuffer(), FrameBuffer()
        port = BridgePort("latency-loop")
        port.capture, port.playback = capture, playback
        port.startTransmit(port)  # mic -> bridge -> speaker, no network in between
        # Without the echo canceller: it would rightly remove the click, which the speaker plays too.
        audio = DeviceAudio(capture, playback, echo_cancel=False)
        audio.set_active(True)
        pump_until = time.monotonic() + 1.5
        while time.monotonic() < pump_until:
            ep.libHandleEvents(10)
        levels: list[tuple[float, float]] = []

        def pump(seconds: float) -> None:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                ep.libHandleEvents(10)
                levels.append((capture.latency_ms, playback.latency_ms))

        pairs, _wav = clicks_through(pulse, work, "octasip", pump)
        audio.set_active(False)
        audio.stop()
        port.destroy()
        ep.libDestroy(pj.PJSUA_DESTROY_NO_RX_MSG)
    if not pairs:
        raise SystemExit("no click came back through OctaSIP")
    ours = statistics.median(pairs)
    pa = statistics.median(base) if base else 0.0  # not separable: counted as ours
    print(f"Click loop mic -> speaker through PulseAudio, {len(pairs)} clicks (echo cancellation off):")
    print(f"  through OctaSIP's audio path: median {ours:.1f} ms (min {min(pairs):.1f}, max {max(pairs):.1f})")
    if base:
        print(f"  through PulseAudio's own loopback (baseline): median {pa:.1f} ms"
              f" (min {min(base):.1f}, max {max(base):.1f})")
    else:
        print("  PulseAudio's own loopback (baseline): its echo merged with the click; counted as 0 ms")
    print(f"  added by OctaSIP: {ours - pa:.1f} ms (target <= 60 ms)")
    print(f"  buffered on average: capture {statistics.mean(c for c, _ in levels):.1f} ms,"
          f" playback {statistics.mean(p for _, p in levels):.1f} ms")
    print(f"  buffers: capture underruns {capture.underruns}, overruns {capture.overruns};"
          f" playback underruns {playback.underruns}, overruns {playback.overruns}")


if __name__ == "__main__":
    main()
