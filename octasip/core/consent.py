"""Permissions the user grants or refuses, as recorded in the consent ledger. Plain data."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Permission(enum.StrEnum):
    MICROPHONE = "microphone"  # asked before the first call; refused: calls are receive-only
    CONTACTS = "contacts"  # asked before the first import or contact lookup
    STORAGE = "storage"  # asked before writing outside the data directory (exports, backups)
    RECORDING = "recording"  # the call recording opt-in (with its consent notice)
    PRIVACY_NOTICE = "privacy-notice"  # the first-run notice was read; detail: its version


@dataclass(frozen=True)
class ConsentEntry:
    id: int
    at: float  # Unix seconds, UTC
    permission: str
    granted: bool
    source: str  # gui, cli, ...
    detail: str

    def as_dict(self) -> dict:
        return {"id": self.id, "at": self.at, "permission": self.permission, "granted": self.granted,
                "source": self.source, "detail": self.detail}
