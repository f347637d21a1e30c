"""baresip 1.0.0 (Debian) as an independent SIP peer on 127.0.0.1, registered at the test Kamailio.

Audio out is a sine tone (``ausine``); audio in is decoded and dumped to WAV by ``sndfile``
(``dump-<time>-<peer>-dec.wav`` = received, ``-enc.wav`` = sent). Control is ctrl_tcp (netstring JSON).
baresip 1.0.0 does not verify the server's TLS certificate (libre never enables verification).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any, Literal

from tests.servers.baresip_ctrl import CtrlTcpClient
from tests.servers.kamailio import Kamailio, Transport
from tests.servers.ports import HOST, free_ports
from tests.servers.process import ManagedProcess, ServerError, wait_until

MediaEnc = Literal["srtp-mand", "srtp", "none"]
MODULE_PATH = "/usr/lib/baresip/modules"
MODULES = ("g711.so", "aubridge.so", "ausine.so", "sndfile.so", "srtp.so")


class Baresip:
    """One baresip process with one account. ``start()`` waits for registration unless ``register=False``."""

    def __init__(
        self,
        kamailio: Kamailio,
        workdir: Path,
        user: str = "bob",
        password: str | None = None,
        transport: Transport = "tls",
        mediaenc: MediaEnc = "srtp-mand",
        auto_answer: bool = True,
        tone_hz: int = 1000,
        cafile: Path | None = None,
        regint: int = 600,
        sip_trace: bool = True,
        display_name: str = "",
    ) -> None:
        if not 10 <= tone_hz <= 20000:
            raise ValueError("ausine supports 10..20000 Hz")
        self.kamailio = kamailio
        self.workdir = workdir
        self.user = user
        self.password = kamailio.users.get(user, "") if password is None else password
        self.transport = transport
        self.mediaenc = mediaenc
        self.auto_answer = auto_answer
        self.tone_hz = tone_hz
        self.cafile = cafile or kamailio.pki.ca_cert
        self.regint = regint
        self.sip_trace = sip_trace
        self.display_name = display_name
        self.confdir = workdir / "conf"
        self.snd_dir = workdir / "audio"
        self.log_path = workdir / "baresip.log"
        (self.ctrl_port,) = free_ports(1)
        self._process: ManagedProcess | None = None
        self._ctrl: CtrlTcpClient | None = None

    # -- addresses -------------------------------------------------------------------------------

    @property
    def aor(self) -> str:
        """Address of record, e.g. ``sip:bob@127.0.0.1``."""
        return self.kamailio.aor(self.user)

    def contact_uri(self) -> str:
        """The Contact this peer registers (its own listener, e.g. to send SIPp to it directly)."""
        pattern = rf"<(sips?:{re.escape(self.user)}-0x[0-9a-f]+@[^>]+)>"
        match = re.search(pattern, self.log_text())  # from the SIP trace of our REGISTER
        if match:
            return match.group(1)
        mine = [c for c in self.kamailio.registered_contacts(self.user) if re.match(pattern[1:-1], c)]
        if not mine:
            raise ServerError(f"{self.user}: no registered contact found")
        return mine[-1]

    def listen_address(self) -> tuple[str, str, int]:
        """(user part, host, port) of the registered Contact."""
        match = re.match(r"sips?:([^@]+)@([^:;>]+):(\d+)", self.contact_uri())
        if match is None:
            raise ServerError(f"cannot parse contact {self.contact_uri()!r}")
        return match.group(1), match.group(2), int(match.group(3))

    def uri_for(self, user: str) -> str:
        """A URI to dial ``user`` through Kamailio on this peer's transport."""
        return f"sip:{user}@{self.kamailio.host}:{self.kamailio.port(self.transport)};transport={self.transport}"

    # -- configuration ---------------------------------------------------------------------------

    def write_config(self) -> None:
        self.confdir.mkdir(parents=True, exist_ok=True)
        self.snd_dir.mkdir(parents=True, exist_ok=True)
        modules = "\n".join(f"module\t\t\t{m}" for m in MODULES)
        (self.confdir / "config").write_text(
            "poll_method\t\tepoll\n"
            f"sip_listen\t\t{HOST}:0\n"
            f"sip_cafile\t\t{self.cafile}\n"
            f"net_interface\t\t{HOST}\n"
            "call_local_timeout\t120\ncall_max_calls\t\t4\n"
            "audio_player\t\taubridge,nil\naudio_alert\t\taubridge,nil\n"
            f"audio_source\t\tausine,{self.tone_hz}\n"
            "ausrc_srate\t\t48000\nausrc_channels\t\t2\n"
            "audio_level\t\tno\nrtp_stats\t\tno\njitter_buffer_delay\t2-10\n"
            f"module_path\t\t{MODULE_PATH}\n{modules}\n"
            "module_tmp\t\taccount.so\n"
            "module_app\t\tmenu.so\nmodule_app\t\tctrl_tcp.so\n"
            f"ctrl_tcp_listen\t\t{HOST}:{self.ctrl_port}\n"
            f"snd_path\t\t{self.snd_dir}\n"
        )
        proxy = self.kamailio.proxy_uri(self.transport)
        port = self.kamailio.port(self.transport)
        params = [
            f"auth_pass={self.password}",
            f'outbound="{proxy}"',
            f"answermode={'auto' if self.auto_answer else 'manual'}",
            f"regint={self.regint}",
            "audio_codecs=PCMU,PCMA",
        ]
        if self.mediaenc != "none":
            params.append(f"mediaenc={self.mediaenc}")
        name = f'"{self.display_name}" ' if self.display_name else ""
        account = f"{name}<sip:{self.user}@{self.kamailio.host}:{port};transport={self.transport}>;" + ";".join(params)
        (self.confdir / "accounts").write_text(account + "\n")
        (self.confdir / "contacts").write_text("")

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self, timeout: float = 10.0, wait_registered: bool = True) -> None:
        if shutil.which("baresip") is None:
            raise ServerError("baresip is not installed (Debian package: baresip)")
        self.write_config()
        argv = ["stdbuf", "-oL", "-eL", "baresip", "-f", str(self.confdir)]
        if self.sip_trace:
            argv.append("-s")
        # KILL on parent death: after SIGTERM baresip waits for its un-REGISTER, which can take 30 s.
        self._process = ManagedProcess(argv, self.log_path, cwd=self.workdir, death_signal="KILL")
        self._process.start()
        try:
            self._process.wait_for_log(r"baresip is ready\.", timeout=timeout)
            self._ctrl = self._connect_ctrl(timeout)
            if wait_registered:
                self.wait_registered(timeout)
        except BaseException:
            self.stop()
            raise

    def _connect_ctrl(self, timeout: float) -> CtrlTcpClient:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return CtrlTcpClient(HOST, self.ctrl_port)
            except OSError:
                if time.monotonic() >= deadline:
                    raise ServerError(f"baresip ctrl_tcp on port {self.ctrl_port} not reachable") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self._ctrl is not None:
            self._ctrl.close()
            self._ctrl = None
        if self._process is not None:
            # 1st SIGTERM: un-REGISTER and exit; 2nd: exit at once (if the registrar is gone).
            self._process.stop(timeout=3.0, term_signals=2)

    def running(self) -> bool:
        return self._process is not None and self._process.running()

    def __enter__(self) -> Baresip:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control ---------------------------------------------------------------------------------

    def command(self, name: str, params: str = "", timeout: float = 5.0) -> dict[str, Any]:
        """Run a baresip long command (``dial``, ``hangup``, ``accept``, ``hold``, ``resume``, ``sndcode``,
        ``transfer``, ``reginfo``, ``listcalls``...) and return the JSON response
        (``{"response": true, "ok": bool, "data": str, "token": ...}``)."""
        if self._ctrl is None:
            raise ServerError("baresip is not running")
        return self._ctrl.command(name, params, timeout=timeout)

    def _ok(self, name: str, params: str = "") -> dict[str, Any]:
        response = self.command(name, params)
        if not response.get("ok"):
            raise ServerError(f"baresip command {name} {params!r} failed: {response.get('data')!r}")
        return response

    def dial(self, uri: str) -> dict[str, Any]:
        return self._ok("dial", uri)

    def hangup(self) -> dict[str, Any]:
        return self._ok("hangup")

    def answer(self) -> dict[str, Any]:
        return self._ok("accept")

    def hold(self) -> dict[str, Any]:
        return self._ok("hold")

    def resume(self) -> dict[str, Any]:
        return self._ok("resume")

    def send_dtmf(self, digits: str, gap: float = 0.25) -> None:
        """Send DTMF (RFC 4733 telephone-events), one ``sndcode`` command per digit."""
        for digit in digits:
            self._ok("sndcode", digit)
            time.sleep(gap)

    def transfer(self, uri: str) -> dict[str, Any]:
        """Blind transfer (REFER) of the current call to ``uri``."""
        return self._ok("transfer", uri)

    # -- events and log --------------------------------------------------------------------------

    @property
    def events(self) -> list[dict[str, Any]]:
        """ctrl_tcp events so far (dicts with ``type``, ``class``, ``peeruri``, ``param``, ...)."""
        return list(self._ctrl.events) if self._ctrl else []

    def event_mark(self) -> int:
        return len(self._ctrl.events) if self._ctrl else 0

    def wait_for_event(self, event_type: str, timeout: float = 10.0, since: int = 0) -> dict[str, Any]:
        """Wait for an event such as ``CALL_INCOMING``, ``CALL_ESTABLISHED``, ``CALL_CLOSED``, ``REGISTER_OK``."""
        if self._ctrl is None:
            raise ServerError("baresip is not running")
        return self._ctrl.wait_for_event(event_type, timeout=timeout, start=since)

    def log_text(self) -> str:
        return self._process.log_text() if self._process else ""

    def log_mark(self) -> int:
        return self._process.log_size() if self._process else 0

    def wait_for_log(self, pattern: str | re.Pattern[str], timeout: float = 10.0, since: int = 0) -> re.Match[str]:
        if self._process is None:
            raise ServerError("baresip was never started")
        return self._process.wait_for_log(pattern, timeout=timeout, since=since)

    def wait_registered(self, timeout: float = 10.0) -> None:
        self.wait_for_log(rf"{re.escape(self.user)}@\S+: \{{\d+/{self.transport.upper()}/v4\}} 200 OK", timeout)

    def dtmf_received(self) -> str:
        """Digits received from the peer so far (RFC 4733 or SIP INFO), in order."""
        return "".join(str(e.get("param", "")) for e in self.events if e.get("type") == "CALL_DTMF_START")

    def wait_dtmf(self, digits: str, timeout: float = 10.0) -> None:
        wait_until(lambda: self.dtmf_received().endswith(digits), timeout, f"DTMF {digits!r} at baresip {self.user}")

    def received_audio_wavs(self) -> list[Path]:
        """WAV dumps of decoded received audio, oldest first (one per call)."""
        return sorted(self.snd_dir.glob("*-dec.wav"), key=lambda p: p.stat().st_mtime)

    def sent_audio_wavs(self) -> list[Path]:
        return sorted(self.snd_dir.glob("*-enc.wav"), key=lambda p: p.stat().st_mtime)
