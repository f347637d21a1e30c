"""Call history: the record model, its filters, retention choices and search normalisation. Plain data."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import asdict, dataclass

from octasip.core.events import CallDirection


class CallStatus(enum.StrEnum):
    ACTIVE = "active"  # in progress (or its process died and it has not been recovered yet)
    ANSWERED = "answered"
    MISSED = "missed"  # incoming, not answered and not declined
    DECLINED = "declined"  # incoming, we refused it (decline or busy)
    FAILED = "failed"  # outgoing, the other side or the network refused it
    CANCELLED = "cancelled"  # outgoing, we hung up before an answer
    INTERRUPTED = "interrupted"  # the app died during the call; the duration is what was last known


class HistoryFilter(enum.StrEnum):
    ALL = "all"
    MISSED = "missed"
    INCOMING = "incoming"
    OUTGOING = "outgoing"


# History retention: setting value -> days kept (None: forever; 0: no history is written at all).
RETENTION_SETTING = "history.retention"
RETENTION_DAYS: dict[str, int | None] = {"forever": None, "1y": 365, "90d": 90, "30d": 30, "7d": 7, "none": 0}
RETENTION_LABELS = {"forever": "Forever", "1y": "1 year", "90d": "90 days", "30d": "30 days", "7d": "7 days",
                    "none": "Don't keep call history"}
DEFAULT_RETENTION = "forever"


@dataclass(frozen=True)
class CallRecord:
    id: int
    account_id: int | None
    direction: CallDirection
    remote_uri: str
    remote_name: str
    started_at: float  # Unix seconds, UTC
    answered_at: float | None
    ended_at: float | None
    duration: float  # seconds from answer to end
    status: CallStatus
    missed: bool
    code: int
    reason: str
    transport: str
    codec: str
    srtp_suite: str | None  # None: the media was not encrypted
    jitter_ms: float | None
    loss_pct: float | None
    rtt_ms: float | None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["direction"] = self.direction.value
        d["status"] = self.status.value
        return d


def format_duration(seconds: float) -> str:
    """A call's length in whole seconds elapsed: "0:05", "12:34", "1:02:05" (a running timer too)."""
    s = max(0, int(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def final_status(direction: CallDirection, answered: bool, code: int) -> CallStatus:
    if answered:
        return CallStatus.ANSWERED
    if direction is CallDirection.INCOMING:
        return CallStatus.DECLINED if code in (486, 600, 603) else CallStatus.MISSED
    return CallStatus.CANCELLED if code == 487 else CallStatus.FAILED


_PHONE_TERM = re.compile(r"[\d\s+().\-/]+")
_URI_USER_HOST = re.compile(r"^(?:sips?|tel):([^;?>]*)", re.IGNORECASE)


def address(uri: str) -> str:
    """The number or user@host of a SIP URI, without the scheme and parameters (how history shows a remote)."""
    rest = uri.strip().strip("<>")
    if ":" in rest.split("@", 1)[0]:
        rest = rest.split(":", 1)[1]
    return rest.split(";", 1)[0].split("?", 1)[0] or uri


def remote_label(remote_uri: str, remote_name: str) -> str:
    """Who a call was with, as the history shows it: the display name, else the address."""
    return remote_name or address(remote_uri)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def search_text(remote_uri: str, remote_name: str) -> str:
    """What a history search looks in: the name, the URI's user@host, and the number's digits."""
    m = _URI_USER_HOST.match(remote_uri.strip().strip("<>"))
    addr = m.group(1) if m else remote_uri
    user = addr.split("@", 1)[0]
    parts = [_fold(remote_name), _fold(addr)]
    digits = _digits(user)
    if digits and _PHONE_TERM.fullmatch(user.replace("%20", " ")):
        parts.append(digits)
    return "\x1f".join(p for p in parts if p)


def normalise_term(term: str) -> str:
    """The search term as stored text is normalised: folded, and a phone number reduced to digits."""
    term = term.strip()
    if _PHONE_TERM.fullmatch(term) and _digits(term):
        return _digits(term)
    return _fold(term)
