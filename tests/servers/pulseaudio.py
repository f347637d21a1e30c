"""A private PulseAudio daemon with null devices, for testing QtMultimedia audio against the real thing.

Devices (all at ``rate`` Hz, 48 kHz by default):

- ``octasip_speaker``: a null sink, the default sink. ``record_speaker()`` captures what is played to
  it through its monitor source.
- ``octasip_mic``: the default source, a ``module-remap-source`` over the monitor of an internal null
  sink ``octasip_mic_feed``. ``play_on_mic(wav)`` plays a WAV file (looped by sox, paced by pacat at
  real time) into that sink, so whoever records from ``octasip_mic`` hears it.
- ``load_extra_sink(name)`` / ``load_extra_source(name)`` / ``unload_device(name)``: hot-plug.

The daemon runs as a normal user-mode instance (``--system=no``; as root it only warns) with ``-n``
(no default.pa), its own daemon.conf (``PULSE_CONFIG``), HOME, state and runtime directories, and a
native-protocol socket in that runtime directory. It never touches a user's session. Clients are
pointed at it with ``env`` (``PULSE_SERVER`` and friends; autospawn is off in its client.conf).

Every null sink carries a silent 20 ms "keepalive" stream and is suspended and resumed once after
it connects. Without that an idle null sink renders 2 s blocks and runs 2 s ahead of the clock, and
its monitor (so ``record_speaker()`` and ``octasip_mic``) delivers data up to 2 s late.

``source_outputs()`` and ``sink_inputs()`` leave out the fixture's own streams (the remap stream,
keepalives, the mic feeder, recordings) unless ``include_internal=True``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Any

import numpy as np

from tests.servers.process import ManagedProcess, ServerError, wait_until

SPEAKER = "octasip_speaker"
MIC = "octasip_mic"
MIC_FEED = "octasip_mic_feed"
FIXTURE_CLIENT = "octasip-test-fixture"  # client name of every helper stream the fixture itself opens
REQUIRED_TOOLS = {"pulseaudio": "pulseaudio", "pactl": "pulseaudio-utils", "pacat": "pulseaudio-utils", "sox": "sox"}
_MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes


def missing_tools() -> dict[str, str]:
    """Tools that are not on PATH, with the Debian package that provides each."""
    return {tool: pkg for tool, pkg in REQUIRED_TOOLS.items() if shutil.which(tool) is None}


def write_tone_wav(path: Path, hz: float, seconds: float = 1.0, rate: int = 48000, amplitude: float = 0.5) -> Path:
    """A mono 16-bit sine WAV. Whole seconds of an integer ``hz`` loop without a click."""
    t = np.arange(int(seconds * rate)) / rate
    pcm = (amplitude * 32767 * np.sin(2 * np.pi * hz * t)).astype("<i2")
    write_wav(path, pcm.tobytes(), rate, 1)
    return path


def write_wav(path: Path, pcm: bytes, rate: int, channels: int) -> Path:
    """Write 16-bit little-endian PCM to a WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return path


def _plain(text: str) -> str:
    """A module argument value without spaces or quotes (module-null-source takes no proplist)."""
    if any(c in text for c in " '\"\\="):
        raise ValueError(f"no spaces, quotes, backslashes or '=' allowed in {text!r}")
    return text


def _description(key: str, text: str) -> str:
    """``key='device.description="text"'``: a module argument holding a proplist with spaces."""
    if '"' in text or "'" in text or "\\" in text:
        raise ValueError(f"no quotes or backslashes allowed in {text!r}")
    return f"""{key}='device.description="{text}"'"""


class Recording:
    """Raw s16le capture from a source (``pacat --record``) into a file; ``stop()`` writes the WAV."""

    def __init__(self, pulse: PulseAudio, source: str, out: Path, rate: int, channels: int) -> None:
        self.out = out
        self.rate = rate
        self.channels = channels
        self.raw_path = out.with_name(out.name + ".raw")
        self.raw_path.unlink(missing_ok=True)
        argv = [
            "pacat", "--record", "--raw", f"--device={source}", "--format=s16le", f"--rate={rate}",
            f"--channels={channels}", "--latency-msec=20", f"--client-name={FIXTURE_CLIENT}",
            "--stream-name=recording",
        ]  # fmt: skip
        self._process = ManagedProcess(
            argv, log_path=self.raw_path, stderr_path=out.with_name(out.name + ".log"), env=pulse.client_env()
        )
        self._process.start()

    def bytes_recorded(self) -> int:
        return self._process.log_size()

    def wait_seconds(self, seconds: float, timeout: float | None = None) -> None:
        """Block until ``seconds`` of audio have arrived."""
        needed = int(seconds * self.rate) * 2 * self.channels
        wait_until(
            lambda: self.bytes_recorded() >= needed or not self._process.running(),
            timeout if timeout is not None else seconds + 5.0,
            f"{seconds} s of recorded audio",
        )
        if self.bytes_recorded() < needed:
            raise ServerError(f"pacat --record exited early: {self._process.stderr_path.read_text()}")

    def stop(self, max_seconds: float | None = None) -> Path:
        """Stop recording; write everything (or the first ``max_seconds``) to ``out`` as WAV."""
        self._process.stop(timeout=2.0)
        pcm = self.raw_path.read_bytes()
        frame = 2 * self.channels
        limit = len(pcm) - len(pcm) % frame
        if max_seconds is not None:
            limit = min(limit, int(max_seconds * self.rate) * frame)
        write_wav(self.out, pcm[:limit], self.rate, self.channels)
        self.raw_path.unlink(missing_ok=True)
        return self.out


class PulseAudio:
    """A private PulseAudio daemon. ``start()``/``stop()`` or use as a context manager."""

    def __init__(
        self,
        workdir: Path,
        rate: int = 48000,
        speaker_channels: int = 2,
        mic_channels: int = 1,
        mic_wav: Path | None = None,
    ) -> None:
        self.workdir = workdir
        self.rate = rate
        self.speaker_channels = speaker_channels
        self.mic_channels = mic_channels
        self.mic_wav = mic_wav
        self.home = workdir / "home"
        self.state_dir = workdir / "state"
        self.log_path = workdir / "pulseaudio.log"
        self.script_path = workdir / "octasip.pa"
        self.daemon_conf = workdir / "daemon.conf"
        self.client_conf = workdir / "client.conf"
        self.cookie = workdir / "cookie"
        runtime = workdir / "runtime"
        self._own_runtime = len(str(runtime / "native")) > _MAX_SOCKET_PATH
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="octasip-pa-")) if self._own_runtime else runtime
        self.socket_path = self.runtime_dir / "native"
        self.server = f"unix:{self.socket_path}"
        self.env: dict[str, str] = {
            "PULSE_SERVER": self.server,
            "PULSE_RUNTIME_PATH": str(self.runtime_dir),
            "PULSE_CLIENTCONFIG": str(self.client_conf),
            "PULSE_COOKIE": str(self.cookie),
        }
        self._process: ManagedProcess | None = None
        self._mic_feeder: ManagedProcess | None = None
        self._extra_modules: dict[str, int] = {}
        self._keepalives: dict[str, ManagedProcess] = {}

    # lifecycle

    def __enter__(self) -> PulseAudio:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _child_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_") and k != "DISPLAY"}
        env.update(self.env)
        env.update(HOME=str(self.home), XDG_RUNTIME_DIR=str(self.runtime_dir), PULSE_CONFIG=str(self.daemon_conf))
        env.update(XDG_CONFIG_HOME=str(self.home / ".config"), XDG_STATE_HOME=str(self.state_dir))
        env["PULSE_STATE_PATH"] = str(self.state_dir)
        # No D-Bus: the daemon's server lookup must neither reach a session bus nor autolaunch one.
        env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={self.workdir / 'no-dbus'}"
        return env

    def _write_config(self) -> None:
        for directory in (self.home, self.state_dir, self.runtime_dir):
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.daemon_conf.write_text(
            f"default-sample-format = s16le\ndefault-sample-rate = {self.rate}\n"
            f"alternate-sample-rate = {self.rate}\ndefault-sample-channels = 2\n"
            "realtime-scheduling = no\nhigh-priority = no\nflat-volumes = no\nenable-shm = yes\n"
        )
        self.client_conf.write_text(f"autospawn = no\ncookie-file = {self.cookie}\n")
        speaker_map = "mono" if self.speaker_channels == 1 else "front-left,front-right"
        mic_map = "mono" if self.mic_channels == 1 else "front-left,front-right"
        if self.speaker_channels not in (1, 2) or self.mic_channels not in (1, 2):
            raise ValueError("channels must be 1 or 2")
        self.script_path.write_text(
            ".fail\n"
            "load-module module-native-protocol-unix auth-anonymous=1 auth-cookie-enabled=0 "
            f"socket={self.socket_path}\n"
            f"load-module module-null-sink sink_name={SPEAKER} rate={self.rate} channels={self.speaker_channels} "
            f"channel_map={speaker_map} {_description('sink_properties', 'OctaSIP Speaker')}\n"
            f"load-module module-null-sink sink_name={MIC_FEED} rate={self.rate} channels={self.mic_channels} "
            f"channel_map={mic_map} {_description('sink_properties', 'OctaSIP mic feed (internal)')}\n"
            f"load-module module-remap-source source_name={MIC} master={MIC_FEED}.monitor rate={self.rate} "
            f"channels={self.mic_channels} channel_map={mic_map} master_channel_map={mic_map} remix=no "
            f"{_description('source_properties', 'OctaSIP Microphone')}\n"
            f"set-default-sink {SPEAKER}\n"
            f"set-default-source {MIC}\n"
        )

    def start(self, timeout: float = 10.0) -> None:
        missing = missing_tools()
        if missing:
            raise ServerError(f"missing tools (Debian packages): {missing}; run `make deps`")
        if self._process is not None and self._process.running():
            raise ServerError("PulseAudio is already running")
        self._write_config()
        self.socket_path.unlink(missing_ok=True)
        argv = [
            "pulseaudio", "--daemonize=no", "--system=no", "--fail=yes", "-n", f"--file={self.script_path}",
            "--exit-idle-time=-1", "--disallow-exit=yes", "--disallow-module-loading=no", "--use-pid-file=no",
            "--realtime=no", "--high-priority=no", "--log-target=stderr", "--log-level=info", "--log-time=yes",
        ]  # fmt: skip
        self._process = ManagedProcess(argv, self.log_path, cwd=self.workdir, env=self._child_env())
        mark = self._process.log_size()
        self._process.start()
        try:
            self._process.wait_for_log(r"Daemon startup complete", timeout=timeout, since=mark)
            wait_until(self.socket_path.exists, timeout, f"socket {self.socket_path}")
            self.pactl("info")
            missing = {SPEAKER, MIC_FEED} - set(self.sink_names()) | {MIC} - set(self.source_names())
            if missing:
                raise ServerError(f"PulseAudio started without {sorted(missing)}; log tail:\n{self.log_text()[-3000:]}")
            for sink in (SPEAKER, MIC_FEED):
                self._start_keepalive(sink)
            if self.mic_wav is not None:
                self.play_on_mic(self.mic_wav)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        self.stop_mic()
        for sink in list(self._keepalives):
            self._stop_keepalive(sink)
        if self._process is not None:
            self._process.stop(timeout=5.0)
            self._process = None
        self._extra_modules.clear()
        if self._own_runtime:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)

    def running(self) -> bool:
        return self._process is not None and self._process.running()

    def reset(self) -> None:
        """Back to the start state (for a long-lived daemon): extra devices gone, defaults, mic WAV."""
        for name in list(self._extra_modules):
            self.unload_device(name)
        self.set_default_sink(SPEAKER)
        self.set_default_source(MIC)
        if self.mic_wav is not None:
            self.play_on_mic(self.mic_wav)
        else:
            self.stop_mic()

    def log_text(self) -> str:
        return self._process.log_text() if self._process else ""

    # queries

    def pactl(self, *args: str, timeout: float = 10.0) -> str:
        """Run pactl against this daemon; its stdout. A failure raises ServerError with stderr."""
        try:
            done = subprocess.run(
                ["pactl", *args], env=self.client_env(), capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise ServerError(f"pactl {' '.join(args)} timed out") from exc
        if done.returncode != 0:
            raise ServerError(f"pactl {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def _list(self, kind: str) -> list[dict[str, Any]]:
        text = self.pactl("-f", "json", "list", kind)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ServerError(f"pactl -f json list {kind}: unparsable output: {text[:2000]!r}") from exc

    def sinks(self) -> list[dict[str, Any]]:
        return self._list("sinks")

    def sources(self) -> list[dict[str, Any]]:
        return self._list("sources")

    def modules(self) -> list[dict[str, Any]]:
        return self._list("modules")

    def sink_names(self) -> list[str]:
        return [sink["name"] for sink in self.sinks()]

    def source_names(self) -> list[str]:
        return [source["name"] for source in self.sources()]

    @staticmethod
    def _internal(stream: dict[str, Any]) -> bool:
        return stream.get("client") is None or stream.get("properties", {}).get("application.name") == FIXTURE_CLIENT

    def source_outputs(self, include_internal: bool = False) -> list[dict[str, Any]]:
        """Capture streams (``pactl -f json list source-outputs``), each with an added ``source_name``."""
        names = {source["index"]: source["name"] for source in self.sources()}
        outputs = self._list("source-outputs")
        for output in outputs:
            output["source_name"] = names.get(output.get("source"))
        return [o for o in outputs if include_internal or not self._internal(o)]

    def sink_inputs(self, include_internal: bool = False) -> list[dict[str, Any]]:
        """Playback streams (``pactl -f json list sink-inputs``), each with an added ``sink_name``."""
        names = {sink["index"]: sink["name"] for sink in self.sinks()}
        inputs = self._list("sink-inputs")
        for stream in inputs:
            stream["sink_name"] = names.get(stream.get("sink"))
        return [s for s in inputs if include_internal or not self._internal(s)]

    def wait_source_outputs(self, count: int, source: str | None = None, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait until exactly ``count`` client capture streams (on ``source``, if given) exist."""
        found: list[dict[str, Any]] = []

        def check() -> bool:
            nonlocal found
            found = [o for o in self.source_outputs() if source is None or o["source_name"] == source]
            return len(found) == count

        wait_until(check, timeout, f"{count} source output(s) on {source or 'any source'}")
        return found

    def wait_sink_inputs(self, count: int, sink: str | None = None, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait until exactly ``count`` client playback streams (on ``sink``, if given) exist."""
        found: list[dict[str, Any]] = []

        def check() -> bool:
            nonlocal found
            found = [s for s in self.sink_inputs() if sink is None or s["sink_name"] == sink]
            return len(found) == count

        wait_until(check, timeout, f"{count} sink input(s) on {sink or 'any sink'}")
        return found

    # defaults and hot-plug

    def default_sink(self) -> str:
        return self.pactl("get-default-sink").strip()

    def default_source(self) -> str:
        return self.pactl("get-default-source").strip()

    def set_default_sink(self, name: str) -> None:
        self.pactl("set-default-sink", name)

    def set_default_source(self, name: str) -> None:
        self.pactl("set-default-source", name)

    def load_extra_sink(self, name: str, description: str | None = None, channels: int = 2) -> int:
        """A further null sink (e.g. a "headset"); its module index. Its monitor is ``<name>.monitor``."""
        channel_map = "mono" if channels == 1 else "front-left,front-right"
        return self._load(
            name, "module-null-sink", f"sink_name={name}", f"rate={self.rate}", f"channels={channels}",
            f"channel_map={channel_map}", _description("sink_properties", description or name),
        )  # fmt: skip

    def load_extra_source(self, name: str, description: str | None = None, channels: int = 1) -> int:
        """A further source that delivers silence (``module-null-source``); its module index."""
        channel_map = "mono" if channels == 1 else "front-left,front-right"
        return self._load(
            name, "module-null-source", f"source_name={name}", f"rate={self.rate}", f"channels={channels}",
            f"channel_map={channel_map}", "max_latency_msec=50", f"description={_plain(description or name)}",
        )  # fmt: skip

    def _load(self, name: str, module: str, *args: str) -> int:
        if name in self.sink_names() or name in self.source_names():
            raise ServerError(f"a device named {name!r} already exists")
        index = int(self.pactl("load-module", module, *args).strip())
        self._extra_modules[name] = index
        if module == "module-null-sink":
            self._start_keepalive(name)
        return index

    def unload_device(self, name: str) -> None:
        """Unplug a sink or source: unload the module that owns it (for ``x.monitor``, the sink ``x``)."""
        owner = None
        for device in (*self.sinks(), *self.sources()):
            if device["name"] == name:
                owner = device.get("owner_module")
        if owner is None:
            raise ServerError(f"no sink or source named {name!r}")
        self._stop_keepalive(name.removesuffix(".monitor"))
        self.pactl("unload-module", str(owner))
        self._extra_modules.pop(name, None)
        wait_until(lambda: name not in self.sink_names() + self.source_names(), 5.0, f"{name} to disappear")

    # audio in and out

    def _start_keepalive(self, sink: str) -> None:
        """A silent low-latency stream on ``sink``, so that it always renders in small blocks.

        An idle null sink renders 2 s blocks; a stream that starts recording its monitor (or a
        remap source on that monitor) would get its first data only after up to 2 s.
        """
        script = (
            f"exec pacat --playback --raw --device={sink} --format=s16le --rate={self.rate} --channels=1 "
            f"--latency-msec=20 --client-name={FIXTURE_CLIENT} --stream-name=keepalive < /dev/zero"
        )
        process = ManagedProcess(["sh", "-c", script], self.workdir / f"keepalive-{sink}.log", env=self.client_env())
        process.start()
        self._keepalives[sink] = process
        wait_until(
            lambda: (
                any(s["sink_name"] == sink for s in self.sink_inputs(include_internal=True)) or not process.running()
            ),
            5.0,
            f"the keepalive stream on {sink}",
        )
        if not process.running():
            raise ServerError(f"keepalive stream on {sink} failed: {process.log_text()}")
        # Before the keepalive stream came, the sink had already rendered a 2 s block: it runs 2 s ahead
        # of the clock, and monitor sources delay their data by that sink latency. A suspend and resume
        # restarts its clock at "now"; from then on it renders in the keepalive's small blocks.
        self.pactl("suspend-sink", sink, "1")
        self.pactl("suspend-sink", sink, "0")

    def _stop_keepalive(self, sink: str) -> None:
        process = self._keepalives.pop(sink, None)
        if process is not None:
            process.stop(timeout=2.0)

    def play_on_mic(self, wav: Path, loop: bool = True) -> None:
        """Make ``octasip_mic`` deliver ``wav`` (any format sox reads), looped unless ``loop=False``."""
        if not wav.is_file():
            raise FileNotFoundError(wav)
        self.stop_mic()
        fmt = f"--format=s16le --rate={self.rate} --channels={self.mic_channels}"
        # sh traps TERM so that it waits for (and reaps) sox and pacat before it exits: orphans would stay
        # zombies in our process group until init reaps them, and stop() would wait for that.
        script = (
            "trap 'exit 0' TERM INT; "
            f'sox -q -D "$1" -t raw -e signed-integer -b 16 -r {self.rate} -c {self.mic_channels} - '
            f"{'repeat -' if loop else ''} | pacat --playback --raw --device={MIC_FEED} {fmt} "
            f"--latency-msec=100 --client-name={FIXTURE_CLIENT} --stream-name=mic-feed"
        )
        self._mic_feeder = ManagedProcess(
            ["sh", "-c", script, "octasip-mic-feed", str(wav)], self.workdir / "mic-feed.log", env=self.client_env()
        )
        self._mic_feeder.start()
        feeder = self._mic_feeder
        wait_until(
            lambda: (
                any(s["sink_name"] == MIC_FEED for s in self.sink_inputs(include_internal=True)) or not feeder.running()
            ),
            5.0,
            "the mic feeder stream",
        )
        if loop and not feeder.running():
            raise ServerError(f"mic feeder exited: {feeder.log_text()}")

    def stop_mic(self) -> None:
        """Silence ``octasip_mic`` (stop the feeder)."""
        if self._mic_feeder is not None:
            self._mic_feeder.stop(timeout=2.0)
            self._mic_feeder = None

    def client_env(self) -> dict[str, str]:
        """This process's environment plus ``env``: for a subprocess that should use this daemon."""
        return {**os.environ, **self.env}

    def start_recording(
        self, out: Path, source: str = f"{SPEAKER}.monitor", channels: int = 1, rate: int | None = None
    ) -> Recording:
        """Record ``source`` in the background (default: what is played to the speaker)."""
        return Recording(self, source, out, rate or self.rate, channels)

    def record_speaker(self, seconds: float, out: Path, sink: str = SPEAKER, channels: int = 1) -> Path:
        """Block for ``seconds`` capturing what is played to ``sink``; the mono 16-bit WAV ``out``."""
        recording = self.start_recording(out, source=f"{sink}.monitor", channels=channels)
        try:
            recording.wait_seconds(seconds)
        finally:
            path = recording.stop(max_seconds=seconds)
        return path
