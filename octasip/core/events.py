"""Events the engine reports. Plain data: safe to pass between threads."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class RegState(enum.StrEnum):
    REGISTERING = "registering"
    REGISTERED = "registered"
    FAILED = "failed"
    RETRYING = "retrying"
    UNREGISTERED = "unregistered"


class CallState(enum.StrEnum):
    CALLING = "calling"
    INCOMING = "incoming"
    EARLY = "early"
    CONNECTING = "connecting"
    CONFIRMED = "confirmed"
    DISCONNECTED = "disconnected"


class CallDirection(enum.StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"


@dataclass(frozen=True)
class Event:
    pass


@dataclass(frozen=True)
class EngineStarted(Event):
    versions: dict[str, str]
    listen: dict[str, str]  # transport -> "ip:port"


@dataclass(frozen=True)
class EngineStopped(Event):
    pass


@dataclass(frozen=True)
class EngineError(Event):
    """Something went wrong outside any call or registration. Message is safe to show."""

    message: str
    account_id: int | None = None
    call_id: int | None = None


@dataclass(frozen=True)
class RegistrationChanged(Event):
    account_id: int
    state: RegState
    code: int
    reason: str
    expires: int = 0
    retry_in: float | None = None


@dataclass(frozen=True)
class TransportError(Event):
    """A transport failed, e.g. a TLS handshake. `message` is safe to show."""

    account_id: int | None
    message: str


@dataclass(frozen=True)
class CallQuality:
    rtt_ms: float | None = None
    jitter_ms: float | None = None
    loss_pct: float | None = None
    rx_packets: int = 0
    tx_packets: int = 0

    @property
    def grade(self) -> str:
        """good / fair / poor, from loss, jitter and RTT (ITU-T G.114 style thresholds)."""
        loss = self.loss_pct or 0.0
        jitter = self.jitter_ms or 0.0
        rtt = self.rtt_ms or 0.0
        if loss > 5 or jitter > 60 or rtt > 600:
            return "poor"
        if loss > 1 or jitter > 30 or rtt > 300:
            return "fair"
        return "good"


@dataclass(frozen=True)
class CallMedia:
    codec: str = ""
    srtp_suite: str | None = None  # None: media not encrypted
    active: bool = False
    local_hold: bool = False
    remote_hold: bool = False


@dataclass(frozen=True)
class CallChanged(Event):
    call_id: int
    account_id: int
    direction: CallDirection
    state: CallState
    remote_uri: str
    remote_name: str = ""
    code: int = 0
    reason: str = ""
    transport: str = ""
    media: CallMedia = field(default_factory=CallMedia)
    duration: float = 0.0
    muted: bool = False


@dataclass(frozen=True)
class IncomingCall(Event):
    call_id: int
    account_id: int
    remote_uri: str
    remote_name: str
    waiting: bool  # another call is already active (call waiting)


@dataclass(frozen=True)
class IncomingCallRejected(Event):
    """An INVITE refused by policy before it rang (e.g. the direct-IP guard)."""

    account_id: int | None
    source: str
    code: int
    reason: str


@dataclass(frozen=True)
class CallQualityUpdated(Event):
    call_id: int
    quality: CallQuality


@dataclass(frozen=True)
class CallEnded(Event):
    """Final summary of a call, sent once after DISCONNECTED."""

    call_id: int
    account_id: int
    direction: CallDirection
    remote_uri: str
    remote_name: str
    code: int
    reason: str
    states: tuple[str, ...]
    answered: bool
    duration: float
    setup_ms: float | None
    transport: str
    media: CallMedia
    quality: CallQuality


@dataclass(frozen=True)
class DtmfReceived(Event):
    call_id: int
    digit: str
    method: str


@dataclass(frozen=True)
class TransferProgress(Event):
    call_id: int
    code: int
    reason: str
    final: bool


@dataclass(frozen=True)
class TransferRequested(Event):
    """The peer asked us to transfer (we accept by default)."""

    call_id: int
    target: str


@dataclass(frozen=True)
class AudioCaptureChanged(Event):
    """A call needs the microphone and speaker (open=True), or no call does any more (False)."""

    open: bool


@dataclass(frozen=True)
class AudioStats(Event):
    """How the audio path fared while it was open (sent when it closes): PJSIP's clock-thread
    callbacks against the ideal 20 ms schedule, and the two buffers' under/overruns."""

    frames: int
    late_p99_ms: float
    late_max_ms: float
    frames_late: int  # more than 40 ms late: an audible glitch
    capture_underruns: int
    playback_overruns: int


@dataclass(frozen=True)
class NetworkChanged(Event):
    """The interface addresses changed, or the machine woke from sleep: transports were restarted."""

    addresses: tuple[str, ...]
    woke: bool = False


# ---------------------------------------------------------------- call recording
@dataclass(frozen=True)
class RecordingStarted(Event):
    call_id: int
    recording_id: str
    channels: int
    rate: int


@dataclass(frozen=True)
class RecordingStopped(Event):
    """The recording ended: stopped, the call ended, or it failed (then `error` says why, safe to show).
    Whatever was written before a failure still decrypts."""

    call_id: int
    recording_id: str
    seconds: float
    error: str = ""
    dropped_frames: int = 0  # frames the writer could not keep up with (0 in normal operation)
