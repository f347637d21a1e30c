"""Call recordings: their records in the database, the access log and the settings. Plain data."""

from __future__ import annotations

import enum
from dataclasses import dataclass

# Settings keys (the settings table). The opt-in itself is the consent ledger's RECORDING entry.
ALWAYS_RECORD_SETTING = "recording.always"  # record every call from its answer (only after the opt-in)
ANNOUNCE_SETTING = "recording.announce"  # play the recording tone into the call (default on)
RETENTION_SETTING = "recording.retention"
RECORDING_RETENTION_DAYS: dict[str, int | None] = {"7d": 7, "30d": 30, "90d": 90, "1y": 365, "forever": None}
RECORDING_RETENTION_LABELS = {"7d": "7 days", "30d": "30 days", "90d": "90 days", "1y": "1 year", "forever": "Forever"}
DEFAULT_RECORDING_RETENTION = "30d"
MASTER_KEY_NAME = "recordings"  # the keyring item key:recordings wraps each recording's own key
NOTICE_VERSION = "1"  # the consent notice text version accepted, kept in the ledger entry's detail
FILE_SUFFIX = ".octarec"


class RecordingState(enum.StrEnum):
    RECORDING = "recording"  # still being written (or the process died: see `truncated`)
    COMPLETE = "complete"
    TRUNCATED = "truncated"  # cut short (crash, full disk): everything up to the last chunk plays
    FAILED = "failed"  # nothing usable was written


class AccessAction(enum.StrEnum):
    PLAY = "play"
    EXPORT = "export"
    DELETE = "delete"
    PURGE = "purge"  # deleted by the retention setting


@dataclass(frozen=True)
class RecordingInfo:
    id: str
    call_row: int | None  # the call history row, if the call has one (None: incognito or purged)
    started_at: float  # Unix seconds
    seconds: float
    channels: int
    rate: int
    state: RecordingState
    remote: str = ""  # who the call was with (from the history row, when there is one)
    size: int = 0  # bytes on disk (0 if the file is missing)

    def as_dict(self) -> dict:
        return {"id": self.id, "call_row": self.call_row, "started_at": self.started_at, "seconds": self.seconds,
                "channels": self.channels, "rate": self.rate, "state": str(self.state), "remote": self.remote,
                "size": self.size}


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: float
    recording_id: str
    action: AccessAction
    source: str  # gui, cli, retention
    detail: str  # e.g. the export format; never a path or a number

    def as_dict(self) -> dict:
        return {"id": self.id, "at": self.at, "recording_id": self.recording_id, "action": str(self.action),
                "source": self.source, "detail": self.detail}
