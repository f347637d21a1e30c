""""Delete all local data": every OctaSIP file and every OctaSIP keyring item.

Order: the database key goes first, so that any copy of the database left anywhere (a backup, a
file that could not be removed) is unreadable from that moment (crypto-shredding). Then the other
keyring items (SIP passwords, other master keys), then every file in the data directory. Each part
is reported; a failure in one does not stop the others, and success is never claimed for a part
that failed. Afterwards OctaSIP starts as on a fresh install.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from octasip.core.recordings import MASTER_KEY_NAME
from octasip.secrets import SecretStore, SecretStoreError

DATABASE_KEY = "key:database"


@dataclass
class WipeReport:
    wiped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # part -> why (safe to show)
    files_left: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed and self.files_left == 0


def _account_ids(data_dir: Path, secrets: SecretStore) -> list[int]:
    """Account ids from the database, to find their passwords on keyrings that cannot search."""
    from octasip.paths import db_path
    from octasip.storage.db import DatabaseError

    if not db_path(data_dir).exists():
        return []
    try:
        from octasip.profile import Profile

        with Profile.open(data_dir, secrets) as profile:
            return [a.id for a in profile.accounts.list()]
    except (DatabaseError, SecretStoreError):
        return []


def wipe(data_dir: Path, secrets: SecretStore | None = None) -> WipeReport:
    report = WipeReport()
    try:
        secrets = secrets or SecretStore()
        entries = secrets.entries(_account_ids(data_dir, secrets), key_names=("database", MASTER_KEY_NAME))
        entries.sort(key=lambda e: e != DATABASE_KEY)  # the database key first: crypto-shredding
        deleted = sum(1 for entry in entries if secrets.delete_entry(entry))  # only the items that were there
        report.wiped.append(f"keyring items ({deleted})")
    except SecretStoreError as e:
        report.failed["keyring"] = str(e)
    if data_dir.exists():
        errors: list[str] = []
        shutil.rmtree(data_dir, onerror=lambda _f, path, exc: errors.append(f"{Path(path).name}: {exc[1]}"))
        report.files_left = sum(1 for p in data_dir.rglob("*") if p.is_file()) if data_dir.exists() else 0
        if errors or report.files_left:
            report.failed["files"] = f"{report.files_left} file(s) could not be removed ({'; '.join(errors[:3])})"
        else:
            report.wiped.append("data directory (database, recordings, logs, settings, caches)")
    else:
        report.wiped.append("data directory (already empty)")
    return report
