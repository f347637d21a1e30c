"""History retention: how long finished calls are kept. Purged at start and daily."""

from __future__ import annotations

import time
from typing import Any

from octasip.core.history import DEFAULT_RETENTION, RETENTION_DAYS, RETENTION_SETTING
from octasip.storage.calls import CallLogRepository
from octasip.storage.db import transaction
from octasip.storage.settings import SettingsRepository

PURGE_INTERVAL_S = 24 * 3600


def retention(settings: SettingsRepository) -> str:
    value = settings.get(RETENTION_SETTING, DEFAULT_RETENTION)
    return value if value in RETENTION_DAYS else DEFAULT_RETENTION


def keeps_history(settings: SettingsRepository) -> bool:
    return RETENTION_DAYS[retention(settings)] != 0


def set_retention(conn: Any, choice: str, now: float | None = None) -> int:
    """Store the retention ``choice`` and purge what it no longer keeps; returns the calls deleted."""
    if choice not in RETENTION_DAYS:
        raise ValueError(f"history retention must be one of {', '.join(RETENTION_DAYS)}")
    with transaction(conn):
        SettingsRepository(conn).set(RETENTION_SETTING, choice)
    return purge(conn, now)


def _cutoff(choice: str, now: float | None) -> float | None:
    """Calls started before this go under retention ``choice`` (None: nothing goes)."""
    days = RETENTION_DAYS[choice]
    if days is None:
        return None
    now = time.time() if now is None else now
    return now - days * 86400 if days else float("inf")


def would_purge(conn: Any, choice: str, now: float | None = None) -> int:
    """How many calls switching to retention ``choice`` would delete now (to confirm it first)."""
    cutoff = _cutoff(choice, now)
    return 0 if cutoff is None else CallLogRepository(conn).count_before(cutoff)


def purge(conn: Any, now: float | None = None) -> int:
    """Delete the finished calls older than the retention period (all of them for "none")."""
    cutoff = _cutoff(retention(SettingsRepository(conn)), now)
    if cutoff is None:
        return 0
    with transaction(conn):
        return CallLogRepository(conn).purge_before(cutoff)
