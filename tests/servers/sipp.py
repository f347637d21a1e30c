"""Run SIPp scenarios from tests/sipp/ on 127.0.0.1: one-shot UACs and a background UAS."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tests.servers.ports import HOST, free_ports, is_bound
from tests.servers.process import ManagedProcess, ServerError, wait_until

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "sipp"
SippTransport = Literal["u1", "t1"]
_BLOCK_START = re.compile(r"^-{20,} \S+ \S+\s*$", re.MULTILINE)
_BLOCK_HEAD = re.compile(r"^\w+ message (?P<dir>sent|received)\b[^\n]*\n", re.MULTILINE)


@dataclass(frozen=True)
class SipMessage:
    """One SIP message from a SIPp message log."""

    direction: Literal["sent", "received"]
    text: str

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0].strip()

    @property
    def is_response(self) -> bool:
        return self.first_line.startswith("SIP/2.0 ")

    @property
    def status_code(self) -> int | None:
        parts = self.first_line.split()
        return int(parts[1]) if self.is_response and len(parts) > 1 and parts[1].isdigit() else None

    @property
    def method(self) -> str:
        """Request method, or for a response the method in its CSeq."""
        if not self.is_response:
            return self.first_line.split(" ", 1)[0]
        cseq = self.header("CSeq")
        return cseq.split()[-1] if cseq else ""

    def header(self, name: str) -> str | None:
        match = re.search(rf"^{re.escape(name)}\s*:\s*(.*?)\s*$", self.text, re.MULTILINE | re.IGNORECASE)
        return match.group(1) if match else None


def parse_messages_log(log: str) -> list[SipMessage]:
    messages: list[SipMessage] = []
    for block in _BLOCK_START.split(log):
        head = _BLOCK_HEAD.search(block)
        if head is None:
            continue
        text = block[head.end() :].lstrip("\r\n").replace("\r\n", "\n")
        messages.append(SipMessage(direction=head.group("dir"), text=text))  # type: ignore[arg-type]
    return messages


@dataclass
class SippResult:
    """Outcome of a SIPp run. ``stdout`` holds SIPp's final statistics screen."""

    returncode: int
    stdout: str
    stderr: str
    messages_log: str
    errors_log: str = ""

    @property
    def messages(self) -> list[SipMessage]:
        return parse_messages_log(self.messages_log)

    def received(self) -> list[SipMessage]:
        return [m for m in self.messages if m.direction == "received"]

    def sent(self) -> list[SipMessage]:
        return [m for m in self.messages if m.direction == "sent"]

    def received_first_lines(self) -> list[str]:
        """Start lines of every message SIPp received, e.g. ``SIP/2.0 403 Forbidden``."""
        return [m.first_line for m in self.received()]

    def sent_first_lines(self) -> list[str]:
        return [m.first_line for m in self.sent()]

    def received_status_codes(self, method: str | None = None) -> list[int]:
        """Codes of received responses (to ``method`` only, if given: ``"INVITE"``)."""
        return [
            m.status_code
            for m in self.received()
            if m.status_code is not None and (method is None or m.method == method)
        ]

    def final_status_code(self, method: str = "INVITE") -> int | None:
        """The final (>= 200) response code received for ``method``, or None if none came."""
        finals = [code for code in self.received_status_codes(method) if code >= 200]
        return finals[0] if finals else None

    def received_requests(self) -> list[str]:
        """Methods of requests SIPp received (e.g. ``["ACK", "BYE"]``)."""
        return [m.method for m in self.received() if not m.is_response]

    def connection_closed_by_peer(self) -> bool:
        """True if SIPp saw the peer close its TCP connection (SIPp then counts the call as failed)."""
        text = "\n".join((self.stdout, self.stderr, self.messages_log, self.errors_log))
        return bool(re.search(r"problem event on socket|Connection reset|closed by remote|Broken pipe", text, re.I))

    def describe(self) -> str:
        return (
            f"sipp exit {self.returncode}; received: {self.received_first_lines()}; "
            f"sent: {self.sent_first_lines()}\nstderr: {self.stderr[-2000:]}\nerrors: {self.errors_log[-2000:]}"
        )


def scenario_path(scenario: str | Path) -> Path:
    """A path as is, or a bare name like ``uac_direct_invite`` resolved in tests/sipp/."""
    path = Path(scenario)
    if not path.suffix:
        path = SCENARIO_DIR / f"{scenario}.xml"
    if not path.exists():
        raise FileNotFoundError(f"SIPp scenario not found: {path}")
    return path


def _require_sipp() -> None:
    if shutil.which("sipp") is None:
        raise ServerError("sipp is not installed (Debian package: sip-tester)")


def _base_args(scenario: Path, workdir: Path, transport: SippTransport, local_port: int | None) -> list[str]:
    args = ["sipp", "-sf", str(scenario), "-i", HOST, "-mi", HOST, "-t", transport, "-nostdin",
            "-trace_msg", "-message_file", str(workdir / "messages.log"),
            "-trace_err", "-error_file", str(workdir / "errors.log"),
            "-max_socket", "16"]  # fmt: skip
    if local_port is not None:
        args += ["-p", str(local_port)]
    return args


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


def run_sipp_uac(
    scenario: str | Path,
    target_host: str,
    target_port: int,
    transport: SippTransport = "u1",
    extra_args: Sequence[str] = (),
    timeout: float = 30.0,
    workdir: Path | None = None,
    service: str | None = None,
    calls: int = 1,
) -> SippResult:
    """Run a UAC scenario against ``target_host:target_port`` until it ends (``-m calls``).

    ``service`` sets the R-URI user (``-s``). SIPp gets ``-timeout`` slightly below ``timeout`` and
    ``-timeout_error`` so it always exits; the subprocess is killed if it still overruns.
    """
    _require_sipp()
    workdir = workdir or Path(tempfile.mkdtemp(prefix="sipp-"))
    workdir.mkdir(parents=True, exist_ok=True)
    args = _base_args(scenario_path(scenario), workdir, transport, None)
    args += ["-m", str(calls), "-timeout", f"{max(1, int(timeout) - 2)}s", "-timeout_error"]
    if service is not None:
        args += ["-s", service]
    args += [*extra_args, f"{target_host}:{target_port}"]
    proc = ManagedProcess(
        args, workdir / "sipp.out", cwd=workdir, stderr_path=workdir / "sipp.err", death_signal="KILL"
    )
    proc.start()
    try:
        wait_until(lambda: not proc.running(), timeout, f"SIPp {Path(scenario).name} to finish")
    finally:
        proc.stop(timeout=2.0)
    code = proc.returncode()
    return SippResult(
        returncode=-1 if code is None else code,
        stdout=proc.log_text(),
        stderr=_read(workdir / "sipp.err"),
        messages_log=_read(workdir / "messages.log"),
        errors_log=_read(workdir / "errors.log"),
    )


class SippUas:
    """A SIPp UAS scenario running in the background on 127.0.0.1:``port`` until ``stop()``."""

    def __init__(
        self,
        scenario: str | Path,
        workdir: Path,
        port: int | None = None,
        transport: SippTransport = "u1",
        extra_args: Sequence[str] = (),
    ) -> None:
        self.scenario = scenario_path(scenario)
        self.workdir = workdir
        self.port = port if port is not None else free_ports(1)[0]
        self.transport = transport
        self.extra_args = list(extra_args)
        self._process: ManagedProcess | None = None

    @property
    def uri(self) -> str:
        return f"sip:{HOST}:{self.port}" + (";transport=tcp" if self.transport == "t1" else "")

    def start(self, timeout: float = 10.0) -> None:
        _require_sipp()
        self.workdir.mkdir(parents=True, exist_ok=True)
        args = _base_args(self.scenario, self.workdir, self.transport, self.port) + self.extra_args
        self._process = ManagedProcess(
            args,
            self.workdir / "sipp.out",
            cwd=self.workdir,
            stderr_path=self.workdir / "sipp.err",
            death_signal="KILL",
        )
        self._process.start()
        wait_until(self._listening, timeout, f"SIPp UAS on {HOST}:{self.port}")

    def _listening(self) -> bool:
        assert self._process is not None
        if not self._process.running():
            raise ServerError(f"SIPp UAS exited with {self._process.returncode()}:\n{self._process.log_text()[-3000:]}")
        return is_bound(self.port, "udp" if self.transport == "u1" else "tcp")

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop(timeout=3.0)

    def running(self) -> bool:
        return self._process is not None and self._process.running()

    def __enter__(self) -> SippUas:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def messages_log(self) -> str:
        return _read(self.workdir / "messages.log")

    def result(self) -> SippResult:
        """A snapshot of what the UAS saw so far (returncode -1 while it runs)."""
        code = self._process.returncode() if self._process else None
        return SippResult(
            returncode=-1 if code is None else code,
            stdout=self._process.log_text() if self._process else "",
            stderr=_read(self.workdir / "sipp.err"),
            messages_log=self.messages_log(),
            errors_log=_read(self.workdir / "errors.log"),
        )

    def wait_for_message(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        """Wait until the message log matches ``pattern`` (e.g. ``r"^BYE "`` with re.MULTILINE semantics)."""
        regex = re.compile(pattern, re.MULTILINE)
        found: list[re.Match[str]] = []

        def check() -> bool:
            match = regex.search(self.messages_log())
            if match:
                found.append(match)
            return bool(match)

        wait_until(check, timeout, f"SIPp UAS message matching {pattern!r}")
        return found[0]


class SippRunner:
    """Per-test SIPp helper: each run gets its own work dir; ``close()`` stops every UAS it started."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._count = 0
        self._servers: list[SippUas] = []

    def _next_dir(self, scenario: str | Path) -> Path:
        self._count += 1
        return self.workdir / f"{self._count:02d}-{Path(scenario).stem}"

    def run_uac(
        self,
        scenario: str | Path,
        target_host: str,
        target_port: int,
        transport: SippTransport = "u1",
        extra_args: Sequence[str] = (),
        timeout: float = 30.0,
        service: str | None = None,
        calls: int = 1,
    ) -> SippResult:
        return run_sipp_uac(
            scenario,
            target_host,
            target_port,
            transport=transport,
            extra_args=extra_args,
            timeout=timeout,
            workdir=self._next_dir(scenario),
            service=service,
            calls=calls,
        )

    def start_uas(
        self,
        scenario: str | Path = "uas_answer_plain",
        port: int | None = None,
        transport: SippTransport = "u1",
        extra_args: Sequence[str] = (),
    ) -> SippUas:
        uas = SippUas(scenario, self._next_dir(scenario), port=port, transport=transport, extra_args=extra_args)
        self._servers.append(uas)
        uas.start()
        return uas

    def close(self) -> None:
        errors: list[BaseException] = []
        for uas in reversed(self._servers):
            try:
                uas.stop()
            except Exception as exc:  # keep stopping the others
                errors.append(exc)
        self._servers.clear()
        if errors:
            raise errors[0]
