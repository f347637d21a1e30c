"""Kamailio as a real registrar and proxy on 127.0.0.1 (UDP, TCP and TLS, digest auth).

The routing logic lives in ``kamailio.cfg`` next to this file; this module fills in ports, users,
static routes and the TLS certificate, runs ``kamailio -DD -E`` in its own process group and offers
helpers to inspect the registrar and the log.
"""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from tests.servers.pki import TestPki
from tests.servers.ports import HOST, free_ports
from tests.servers.process import ManagedProcess, ServerError, wait_until

Transport = Literal["udp", "tcp", "tls"]

DEFAULT_USERS: dict[str, str] = {
    "alice": "alice-secret",
    "bob": "bob-secret",
    "carol": "carol-secret",
    "dave": "dave-secret",
}
SIPP_UAS_USER = "sippuas"
CONFIG_TEMPLATE = Path(__file__).with_name("kamailio.cfg")
MODULE_DIRS = (
    "/usr/lib/x86_64-linux-gnu/kamailio/modules",
    "/usr/lib/aarch64-linux-gnu/kamailio/modules",
    "/usr/lib/kamailio/modules",
    "/usr/local/lib64/kamailio/modules",
)
_NAME = re.compile(r"^[A-Za-z0-9_.+-]{1,64}$")
_SAFE_VALUE = re.compile(r'^[^"\\\r\n$]{1,200}$')
TLS_CIPHERS = (
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256"
)


def _module_dir() -> str:
    for candidate in MODULE_DIRS:
        if Path(candidate, "tls.so").exists():
            return candidate
    raise ServerError("Kamailio modules not found: install the kamailio and kamailio-tls-modules packages")


def _check(kind: str, value: str, pattern: re.Pattern[str]) -> str:
    if not pattern.match(value):
        raise ValueError(f"unsupported {kind} for the test Kamailio config: {value!r}")
    return value


class Kamailio:
    """One Kamailio instance. Use as a context manager or call ``start()``/``stop()``."""

    host = HOST
    domain = HOST
    realm = HOST

    def __init__(
        self,
        pki: TestPki,
        workdir: Path,
        users: Mapping[str, str] | None = None,
        static_routes: Mapping[str, str] | None = None,
        untrusted_cert: bool = False,
        min_expires: int = 10,
        sipp_uas_port: int | None = None,
    ) -> None:
        """``static_routes`` maps an R-URI user to a SIP URI it is forwarded to without lookup;
        ``sipp_uas_port`` adds the route ``sippuas`` -> ``sip:127.0.0.1:<port>`` (UDP) for a SIPp UAS."""
        self.pki = pki
        self.workdir = workdir
        self.users = dict(DEFAULT_USERS if users is None else users)
        self.static_routes = dict(static_routes or {})
        self.sipp_uas_port = sipp_uas_port
        if sipp_uas_port is not None:
            self.static_routes.setdefault(SIPP_UAS_USER, f"sip:{HOST}:{sipp_uas_port}")
        self.untrusted_cert = untrusted_cert
        self.min_expires = min_expires
        self.udp_port, self.tcp_port, self.tls_port = free_ports(3)
        workdir.mkdir(parents=True, exist_ok=True)
        # A unix socket path must stay short (108 bytes), so the control socket gets its own short dir.
        self._rundir = Path("/tmp") / f"kam-{uuid.uuid4().hex[:10]}"
        self.ctl_socket = self._rundir / "ctl.sock"
        self.config_path = workdir / "kamailio.cfg"
        self.tls_config_path = workdir / "tls.cfg"
        self.log_path = workdir / "kamailio.log"
        self._process: ManagedProcess | None = None

    # -- addresses -------------------------------------------------------------------------------

    def port(self, transport: Transport) -> int:
        return {"udp": self.udp_port, "tcp": self.tcp_port, "tls": self.tls_port}[transport]

    def proxy_uri(self, transport: Transport) -> str:
        """``sip:127.0.0.1:PORT;transport=T``: the registrar/outbound proxy address for a transport."""
        return f"sip:{self.host}:{self.port(transport)};transport={transport}"

    def aor(self, user: str) -> str:
        return f"sip:{user}@{self.domain}"

    # -- lifecycle -------------------------------------------------------------------------------

    def write_config(self) -> None:
        cert, key = (
            (self.pki.untrusted_server_cert, self.pki.untrusted_server_key)
            if self.untrusted_cert
            else (self.pki.server_cert, self.pki.server_key)
        )
        self.tls_config_path.write_text(
            "[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n"
            f"certificate = {cert}\nprivate_key = {key}\ncipher_list = {TLS_CIPHERS}\n\n"
            "[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n"
        )
        init_lines = [
            f'\t$sht(users=>{_check("user", u, _NAME)}) = "{_check("password", p, _SAFE_VALUE)}";'
            for u, p in self.users.items()
        ] + [
            f'\t$sht(static=>{_check("route user", u, _NAME)}) = "{_check("route", d, _SAFE_VALUE)}";'
            for u, d in self.static_routes.items()
        ]
        values = {
            "MPATH": _module_dir(),
            "UDP_PORT": str(self.udp_port),
            "TCP_PORT": str(self.tcp_port),
            "TLS_PORT": str(self.tls_port),
            "CTL_SOCKET": str(self.ctl_socket),
            "TLS_CFG": str(self.tls_config_path),
            "MIN_EXPIRES": str(int(self.min_expires)),
            "REALM": self.realm,
            "HTABLE_INIT": "\n".join(init_lines) or "\t$var(none) = 0;",
        }
        text = CONFIG_TEMPLATE.read_text()
        for name, value in values.items():
            text = text.replace(f"@@{name}@@", value)
        leftover = re.search(r"@@\w+@@", text)
        if leftover:
            raise ServerError(f"unfilled placeholder {leftover.group(0)} in {CONFIG_TEMPLATE}")
        self.config_path.write_text(text)

    def start(self, timeout: float = 15.0) -> None:
        if shutil.which("kamailio") is None:
            raise ServerError("kamailio is not installed (Debian packages: kamailio kamailio-tls-modules)")
        self.write_config()
        self._rundir.mkdir(mode=0o700, exist_ok=True)
        with self.log_path.open("a") as log:
            log.write(f"==== starting kamailio udp={self.udp_port} tcp={self.tcp_port} tls={self.tls_port} ====\n")
        self._process = ManagedProcess(
            ["kamailio", "-DD", "-E", "-f", str(self.config_path), "-Y", str(self._rundir),
             "-m", "48", "-M", "8", "-w", str(self.workdir)],
            self.log_path, cwd=self.workdir,
        )  # fmt: skip
        self._process.start()
        try:
            wait_until(
                self._ready,
                timeout,
                f"Kamailio on {self.host} udp/tcp/tls {self.udp_port}/{self.tcp_port}/{self.tls_port}",
            )
        except ServerError as exc:
            tail = self.log_text()[-4000:]
            self.stop()
            raise ServerError(f"{exc}; log tail:\n{tail}") from exc

    def _ready(self) -> bool:
        assert self._process is not None
        if not self._process.running():
            raise ServerError(f"kamailio exited with code {self._process.returncode()}:\n{self.log_text()[-4000:]}")
        return self._tcp_ready() and self._tls_ready() and self.options_ping(timeout=0.3) and self.ctl_socket.exists()

    def _tcp_ready(self) -> bool:
        try:
            with socket.create_connection((self.host, self.tcp_port), timeout=0.3):
                return True
        except OSError:
            return False

    def _tls_ready(self) -> bool:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        try:
            with (
                socket.create_connection((self.host, self.tls_port), timeout=1) as raw,
                context.wrap_socket(raw, server_hostname="localhost"),
            ):
                return True
        except (OSError, ssl.SSLError):
            return False

    def options_ping(self, timeout: float = 1.0) -> bool:
        """Send an out-of-dialog OPTIONS to the UDP listener; True if it answers 200."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((self.host, 0))
            sock.settimeout(timeout)
            port = sock.getsockname()[1]
            branch, tag, call_id = (f"z9hG4bK{uuid.uuid4().hex}", uuid.uuid4().hex[:8], uuid.uuid4().hex)
            request = (
                f"OPTIONS sip:{self.host}:{self.udp_port} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP {self.host}:{port};branch={branch};rport\r\n"
                "Max-Forwards: 70\r\n"
                f"From: <sip:ping@{self.host}>;tag={tag}\r\n"
                f"To: <sip:{self.host}>\r\n"
                f"Call-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
            )
            try:
                sock.sendto(request.encode(), (self.host, self.udp_port))
                data = sock.recv(65535)
            except OSError:
                return False
            return data.startswith(b"SIP/2.0 200")

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()
        shutil.rmtree(self._rundir, ignore_errors=True)

    def restart(self, timeout: float = 15.0) -> None:
        """Stop and start again on the same ports (registrations are lost: usrloc is in memory)."""
        self.stop()
        self.start(timeout=timeout)

    def running(self) -> bool:
        return self._process is not None and self._process.running()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def __enter__(self) -> Kamailio:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- log -------------------------------------------------------------------------------------

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_mark(self) -> int:
        """Current end of the log, to pass as ``since`` to ``wait_for_log``."""
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def wait_for_log(self, pattern: str | re.Pattern[str], timeout: float = 10.0, since: int = 0) -> re.Match[str]:
        """Wait for a log match (from byte offset ``since``, see ``log_mark()``). Lines written per event:

        ``OCTA-REQ <METHOD> <R-URI> from=... to=... proto=udp|tcp|tls src=ip:port`` (every request),
        ``OCTA-REGISTER user=U expires=<Expires header|<null>> contact=<Contact header incl. ;expires=>``,
        ``OCTA-REGISTERED user=U ...``, ``OCTA-AUTH-FAILED user=U method=M``, ``OCTA-REINVITE <R-URI> du=...``,
        ``OCTA-LOOKUP U -> ruri=... du=...``, ``OCTA-OFFLINE U`` (480), ``OCTA-NOTFOUND U`` (404),
        ``OCTA-STATIC U -> dest``, ``OCTA-REPLY <code> <reason> cseq=<n METHOD> ...`` (relayed replies).
        """
        if self._process is None:
            raise ServerError("kamailio was never started")
        return self._process.wait_for_log(pattern, timeout=timeout, since=since)

    # -- registrar -------------------------------------------------------------------------------

    def rpc(self, *command: str, timeout: float = 5.0) -> str:
        """Run a kamcmd RPC command over the private control socket; return its output."""
        result = subprocess.run(
            ["kamcmd", "-s", f"unix:{self.ctl_socket}", *command],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if result.returncode != 0:
            raise ServerError(f"kamcmd {' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}")
        return result.stdout

    def registered_contacts(self, user: str) -> list[str]:
        """Contact URIs currently bound to ``user`` in the location table (empty if none)."""
        try:
            out = self.rpc("ul.lookup", "location", f"{user}@{self.domain}")
        except ServerError as exc:
            if "Not Found" in str(exc) or "not found" in str(exc).lower():
                return []
            raise
        return re.findall(r"^\s*Address:\s*(\S+)\s*$", out, flags=re.MULTILINE)

    def wait_registered(self, user: str, timeout: float = 10.0, count: int = 1) -> list[str]:
        contacts: list[str] = []

        def have() -> bool:
            contacts[:] = self.registered_contacts(user)
            return len(contacts) >= count

        wait_until(have, timeout, f"{user} registered at Kamailio")
        return contacts

    def wait_unregistered(self, user: str, timeout: float = 10.0) -> None:
        wait_until(lambda: not self.registered_contacts(user), timeout, f"{user} unregistered at Kamailio")


def wait_port_closed(port: int, timeout: float = 5.0) -> None:
    """Wait until nothing accepts TCP connections on ``port`` (e.g. after a stop)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                pass
        except OSError:
            return
        time.sleep(0.05)
    raise ServerError(f"port {port} still accepts connections")
