"""Commands accepted by the engine. Plain data: safe to pass between threads."""

from __future__ import annotations

from dataclasses import dataclass

from octasip.core.models import AccountConfig


@dataclass(frozen=True)
class Command:
    pass


@dataclass(frozen=True)
class AddAccount(Command):
    """Add or replace (same id) an account and register it."""

    account: AccountConfig


@dataclass(frozen=True)
class RemoveAccount(Command):
    account_id: int


@dataclass(frozen=True)
class Reregister(Command):
    account_id: int


@dataclass(frozen=True)
class MakeCall(Command):
    account_id: int
    target: str  # number, extension or SIP URI
    call_id: int  # chosen by the caller with Engine.new_call_id()


@dataclass(frozen=True)
class Answer(Command):
    call_id: int


@dataclass(frozen=True)
class Reject(Command):
    call_id: int
    busy: bool = False  # 486 Busy Here, else 603 Decline


@dataclass(frozen=True)
class Hangup(Command):
    call_id: int


@dataclass(frozen=True)
class HangupAll(Command):
    pass


@dataclass(frozen=True)
class Hold(Command):
    call_id: int


@dataclass(frozen=True)
class Resume(Command):
    call_id: int


@dataclass(frozen=True)
class SetMute(Command):
    call_id: int
    muted: bool


@dataclass(frozen=True)
class SendDtmf(Command):
    call_id: int
    digits: str


@dataclass(frozen=True)
class BlindTransfer(Command):
    call_id: int
    target: str


@dataclass(frozen=True)
class AttendedTransfer(Command):
    call_id: int  # the call to transfer
    to_call_id: int  # the consultation call it is replaced with


@dataclass(frozen=True)
class Conference(Command):
    call_ids: tuple[int, ...]  # mix these calls together (a local conference)


@dataclass(frozen=True)
class SplitConference(Command):
    pass


@dataclass(frozen=True)
class NetworkChange(Command):
    """The network changed or the machine woke up: recover transports."""


@dataclass(frozen=True)
class QueryQuality(Command):
    call_id: int


@dataclass(frozen=True)
class StartEchoTest(Command):
    """Call the built-in echo peer (127.0.0.1) from a local account: no provider needed."""

    call_id: int


# ---------------------------------------------------------------- for the engine host's audio
@dataclass(frozen=True)
class SetMicrophoneAllowed(Command):
    """The microphone permission: False makes every call receive-only (the microphone never opens)."""

    allowed: bool


@dataclass(frozen=True)
class SetAudioDevices(Command):
    """Device ids ("" = the system default); switched live, mid-call too."""

    input_id: str = ""
    output_id: str = ""
    ringer_id: str = ""


@dataclass(frozen=True)
class SetDiagnosticLog(Command):
    """Write the redacted SIP log into this folder ("" = stop). Handled by the engine host."""

    directory: str = ""


# ---------------------------------------------------------------- call recording (opt-in)
@dataclass(frozen=True)
class StartRecording(Command):
    """Record this call into the encrypted file `path` (which must not exist yet).

    The engine takes the recording master key from the keyring itself: no key travels in a command.
    `announce` plays the recording tone into the call first, so that the other party knows."""

    call_id: int
    recording_id: str
    path: str
    announce: bool = True
    channels: int = 2  # 2: ours left, theirs right; 1: mixed


@dataclass(frozen=True)
class StopRecording(Command):
    call_id: int
