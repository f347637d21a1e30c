"""Account and call models shared by every layer."""

from __future__ import annotations

import dataclasses
import enum
import re
from dataclasses import dataclass


class Transport(enum.StrEnum):
    UDP = "udp"
    TCP = "tcp"
    TLS = "tls"


class SrtpPolicy(enum.StrEnum):
    OFF = "off"
    OPTIONAL = "optional"
    MANDATORY = "mandatory"


class DtmfMode(enum.StrEnum):
    RFC4733 = "rfc4733"
    SIP_INFO = "info"


class AccountConfigError(ValueError):
    """An account setting is invalid. The message is safe to show."""


_SIP_URI = re.compile(r"^sips?:(?:(?P<user>[^@;>\s]+)@)?(?P<host>\[[0-9a-fA-F:.]+\]|[^:;>\s]+)(?::(?P<port>\d+))?")


def parse_sip_uri(uri: str) -> tuple[str, str, int | None]:
    """Return (user, host, port) of a sip: or sips: URI, or raise AccountConfigError."""
    m = _SIP_URI.match(uri.strip())
    if not m:
        raise AccountConfigError("not a SIP URI (expected sip:user@domain)")
    port = int(m.group("port")) if m.group("port") else None
    return m.group("user") or "", m.group("host"), port


@dataclass(frozen=True)
class AccountConfig:
    """One SIP account. Never holds the password: that lives in the keyring."""

    uri: str
    id: int = 0
    display_name: str = ""
    registrar: str = ""
    username: str = ""
    transport: Transport = Transport.UDP
    outbound_proxy: str = ""
    expiry: int = 300
    ca_file: str = ""
    srtp: SrtpPolicy | None = None
    allow_direct_calls: bool = False
    dtmf_mode: DtmfMode = DtmfMode.RFC4733
    enabled: bool = True

    def __post_init__(self) -> None:
        parse_sip_uri(self.uri)
        if not self.uri.startswith(("sip:", "sips:")):
            raise AccountConfigError("account URI must start with sip:")
        if self.registrar and not self.registrar.startswith(("sip:", "sips:")):
            raise AccountConfigError("registrar must be a sip: URI")
        if self.outbound_proxy and not self.outbound_proxy.startswith(("sip:", "sips:")):
            raise AccountConfigError("outbound proxy must be a sip: URI")
        if not 30 <= int(self.expiry) <= 86400:
            raise AccountConfigError("registration expiry must be between 30 and 86400 seconds")
        object.__setattr__(self, "transport", Transport(self.transport))
        object.__setattr__(self, "dtmf_mode", DtmfMode(self.dtmf_mode))
        if self.srtp is not None:
            object.__setattr__(self, "srtp", SrtpPolicy(self.srtp))

    @property
    def user(self) -> str:
        return parse_sip_uri(self.uri)[0]

    @property
    def domain(self) -> str:
        return parse_sip_uri(self.uri)[1]

    @property
    def auth_username(self) -> str:
        return self.username or self.user

    @property
    def registrar_uri(self) -> str:
        return self.registrar or f"sip:{self.domain}"

    @property
    def srtp_policy(self) -> SrtpPolicy:
        """SRTP is mandatory on TLS accounts and optional elsewhere, unless set."""
        if self.srtp is not None:
            return self.srtp
        return SrtpPolicy.MANDATORY if self.transport is Transport.TLS else SrtpPolicy.OPTIONAL

    def replace(self, **changes: object) -> AccountConfig:
        return dataclasses.replace(self, **changes)


_PHONE = re.compile(r"\+?[\d\s().-]+")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")
_LONG_DIGITS = re.compile(r"\d{6,}")  # phone numbers; not ports or short extensions
_USER_PART = re.compile(r"[A-Za-z0-9*#_.!~'%+-]+")


def dial_target(text: str, account: AccountConfig) -> str:
    """Turn what the user typed into a SIP request URI for `account`.

    A bare number or extension becomes sip:NUMBER@account-domain. A tel: URI
    keeps its digits. On TLS accounts a sip: URI gets ;transport=tls (not sips:,
    which makes callees answer 480 "SIPS Required" unless our Contact is sips).
    """
    text = text.strip()
    if not text:
        raise AccountConfigError("nothing to dial")
    if text.startswith("tel:"):
        text = text[4:].split(";", 1)[0]
    if not text.startswith(("sip:", "sips:")):
        if "@" in text:
            target = f"sip:{text}"
            parse_sip_uri(target)
            if not _USER_PART.fullmatch(text.rsplit("@", 1)[0]):
                raise AccountConfigError("not a number, extension or SIP URI")
        elif _PHONE.fullmatch(text):
            number = _PHONE_PUNCTUATION.sub("", text)
            target = f"sip:{number}@{account.domain}"
        elif _USER_PART.fullmatch(text):
            target = f"sip:{text}@{account.domain}"
        else:
            raise AccountConfigError("not a number, extension or SIP URI")
    else:
        target = text
        parse_sip_uri(target)
    if account.transport is not Transport.UDP and "transport=" not in target:
        target = _add_uri_param(target, f"transport={account.transport.value}")
    return target


def _add_uri_param(uri: str, param: str) -> str:
    # Parameters go before any ?headers part and inside <...> if present.
    if uri.startswith("<"):
        return "<" + _add_uri_param(uri[1:].rstrip(">"), param) + ">"
    head, sep, tail = uri.partition("?")
    return f"{head};{param}{sep}{tail}"


def mask_number(text: str) -> str:
    """Mask every run of 6+ digits (a phone number) except its last 3, for logs and errors."""
    return _LONG_DIGITS.sub(lambda m: "*" * (len(m.group()) - 3) + m.group()[-3:], text)
