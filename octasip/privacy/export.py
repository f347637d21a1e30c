"""Export (the user's right of access and portability) and its import.

``export_json`` writes one JSON document; ``export_csv`` writes a folder of CSV files, one per
section. Both hold the call history, contacts, settings, accounts (never a password: those stay in
the keyring) and the consent ledger. Files are written only at the path the user chose: each goes
to a temporary file next to its destination, is flushed to disk, then renamed, so an interrupted
export never leaves a half-written file under the chosen name. Files are created 0600.

``import_json`` reads a JSON export back into a profile (e.g. on a new machine), skipping what is
already there, so importing twice changes nothing.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from octasip.storage.calls import CallLogRepository
from octasip.storage.db import transaction

FORMAT = "octasip-export"
VERSION = 1
SECTIONS = ("accounts", "settings", "contacts", "calls", "consent", "recordings", "recording_access")
# Recordings are listed (never their audio: that is exported one by one, decrypted, on request) with their
# access log; an import does not bring them back, as their files stay on the old machine.
IMPORTED_SECTIONS = SECTIONS[:5]


class ExportError(Exception):
    """The export or import could not be done. The message is safe to show."""


# ------------------------------------------------------------------ reading the profile
def _rows(conn: Any, sql: str) -> Iterator[dict]:
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


# Each section's columns, in export order (one table per section, of the same name).
COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("id", "uri", "display_name", "registrar", "username", "transport", "outbound_proxy", "expiry",
                 "ca_file", "srtp", "allow_direct_calls", "dtmf_mode", "enabled", "created_at"),
    "settings": ("key", "value"),
    "contacts": ("id", "name", "organization", "note", "favourite", "uid", "created_at", "updated_at"),
    "calls": ("id", "account_id", "direction", "remote_uri", "remote_name", "started_at", "answered_at", "ended_at",
              "duration", "status", "missed", "code", "reason", "transport", "codec", "srtp_suite", "jitter_ms",
              "loss_pct", "rtt_ms"),
    "consent": ("id", "at", "permission", "granted", "source", "detail"),
    "recordings": ("id", "call_row", "started_at", "ended_at", "seconds", "channels", "rate", "state", "error"),
    "recording_access": ("id", "at", "recording_id", "action", "source", "detail"),
}
_ORDER = {"accounts": "id", "settings": "key", "contacts": "id", "calls": "started_at, id", "consent": "id",
          "recordings": "started_at", "recording_access": "id"}
_QUERIES = {name: f"SELECT {', '.join(cols)} FROM {name} ORDER BY {_ORDER[name]}" for name, cols in COLUMNS.items()}
# The header of a section's CSV file (written even when the section is empty)
_CSV_HEADERS = {**COLUMNS, "contacts": (*COLUMNS["contacts"], "addresses")}


def _contacts(conn: Any) -> Iterator[dict]:
    addresses: dict[int, list[dict]] = {}
    for a in _rows(conn, "SELECT contact_id, kind, label, value FROM contact_addresses ORDER BY contact_id, position,"
                         " id"):
        addresses.setdefault(a.pop("contact_id"), []).append(a)
    for c in _rows(conn, _QUERIES["contacts"]):
        c["addresses"] = addresses.get(c["id"], [])
        yield c


def section(conn: Any, name: str) -> Iterator[dict]:
    if name == "contacts":
        yield from _contacts(conn)
    elif name == "settings":
        for r in _rows(conn, _QUERIES["settings"]):
            yield {"key": r["key"], "value": json.loads(r["value"])}
    else:
        yield from _rows(conn, _QUERIES[name])


# ------------------------------------------------------------------ writing files
@contextlib.contextmanager
def write_atomically(path: Path, force: bool, binary: bool = False) -> Iterator[IO]:
    """A file written in full or not at all: a temporary file beside `path` (0600), flushed, renamed."""
    path = Path(path)
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; choose another name or use --force to replace it")
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as e:
        raise ExportError(f"cannot write in {path.parent}: {e.strerror}") from None
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise ExportError(f"could not write {path}: {e.strerror}; nothing was written there") from None
        raise


@dataclass
class ExportReport:
    paths: list[Path]
    counts: dict[str, int]


def export_json(conn: Any, out: Path, force: bool = False) -> ExportReport:
    """One JSON document, streamed (the history may be large)."""
    counts = {}
    with write_atomically(out, force) as f:
        f.write(json.dumps({"format": FORMAT, "version": VERSION, "exported_at": time.time()})[:-1])
        for name in SECTIONS:
            f.write(f', "{name}": [')
            n = 0
            for n, item in enumerate(section(conn, name), 1):
                f.write((",\n" if n > 1 else "\n") + json.dumps(item, ensure_ascii=False))
            f.write("\n]")
            counts[name] = n
        f.write("}\n")
    return ExportReport([Path(out)], counts)


def export_csv(conn: Any, out_dir: Path, force: bool = False) -> ExportReport:
    """A folder with one CSV file per section (contacts' addresses as "kind:label:value" lines)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} exists and is not a folder")
    try:
        out_dir.mkdir(mode=0o700, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create the folder {out_dir}: {e.strerror}") from None
    paths, counts = [], {}
    for name in SECTIONS:
        path = out_dir / f"{name}.csv"
        with write_atomically(path, force) as f:
            writer: csv.DictWriter | None = None
            n = 0
            for item in section(conn, name):
                n += 1
                item = _flat(name, item)
                if writer is None:
                    writer = csv.DictWriter(f, fieldnames=list(item))
                    writer.writeheader()
                writer.writerow(item)
            if writer is None:
                f.write(",".join(_CSV_HEADERS[name]) + "\r\n")
        paths.append(path)
        counts[name] = n
    return ExportReport(paths, counts)


def _flat(name: str, item: dict) -> dict:
    if name == "contacts":
        item = dict(item)
        item["addresses"] = "\n".join(f"{a['kind']}:{a['label']}:{a['value']}" for a in item["addresses"])
    elif name == "settings":
        item = {"key": item["key"], "value": json.dumps(item["value"], ensure_ascii=False)}
    return item


def read_csv_export(out_dir: Path) -> dict[str, list[dict]]:
    """The CSV export read back as text rows (for checking a round trip)."""
    data = {}
    for name in SECTIONS:
        with open(Path(out_dir) / f"{name}.csv", encoding="utf-8", newline="") as f:
            data[name] = list(csv.DictReader(io.StringIO(f.read())))
    return data


# ------------------------------------------------------------------ import
MAX_IMPORT_BYTES = 2 * 1024**3


def import_json(conn: Any, path: Path) -> dict[str, int]:
    """Add a JSON export's contents to the profile; returns how many items of each section were added."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ExportError(f"{path} is larger than 2 GiB; that is not an OctaSIP export")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise ExportError(f"{path} not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ExportError(f"{path} is not an OctaSIP JSON export ({type(e).__name__} at {_where(e)})") from None
    except OSError as e:
        raise ExportError(f"cannot read {path}: {e.strerror}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ExportError(f"{path} is not an OctaSIP export (no \"format\": \"{FORMAT}\")")
    if doc.get("version") != VERSION:
        raise ExportError(f"{path} is an export of version {doc.get('version')!r}; "
                          f"this OctaSIP reads version {VERSION}")
    added = {}
    try:
        with transaction(conn):
            for name in IMPORTED_SECTIONS:
                items = doc.get(name, [])
                if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                    raise ExportError(f"the \"{name}\" section of {path} is not a list of objects")
                added[name] = sum(_IMPORTERS[name](conn, item) for item in items)
    except (KeyError, TypeError, ValueError) as e:
        raise ExportError(f"{path} has a malformed entry ({type(e).__name__}); nothing was imported") from None
    return added


def _where(e: Exception) -> str:
    return f"line {e.lineno}" if isinstance(e, json.JSONDecodeError) else "an invalid byte"


def _insert(conn: Any, table: str, item: dict, columns: tuple[str, ...]) -> int:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    return conn.execute(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})",
                        tuple(item[c] for c in columns)).rowcount


def _import_account(conn: Any, item: dict) -> int:
    """A new id here (ids name keyring entries); the password has to be entered again."""
    if conn.execute("SELECT 1 FROM accounts WHERE uri = ?", (item["uri"],)).fetchone():
        return 0
    return _insert(conn, "accounts", dict(item, id=None), COLUMNS["accounts"])


def _import_setting(conn: Any, item: dict) -> int:
    return conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                        (str(item["key"]), json.dumps(item["value"], ensure_ascii=False))).rowcount


def _import_call(conn: Any, item: dict) -> int:
    from octasip.core.history import search_text

    cols = COLUMNS["calls"]
    if conn.execute("SELECT 1 FROM calls WHERE started_at = ? AND remote_uri = ? AND direction = ?",
                    (item["started_at"], item["remote_uri"], item["direction"])).fetchone():
        return 0
    row = dict(item, last_seen_at=item["ended_at"] or item["started_at"],
               search=search_text(item["remote_uri"], item["remote_name"]))
    if row["status"] == "active":  # exported mid-call: it cannot be running here
        row["status"] = "interrupted"
    names = [c for c in cols if c != "id"] + ["last_seen_at", "search"]
    sql = f"INSERT INTO calls (id, {', '.join(names)}) VALUES (?{', ?' * len(names)})"
    CallLogRepository(conn).insert_at(float(item["started_at"]), sql, tuple(row[c] for c in names))
    return 1


def _import_contact(conn: Any, item: dict) -> int:
    from octasip.core.contacts import address_search

    if conn.execute("SELECT 1 FROM contacts WHERE name = ? AND uid = ? AND created_at = ?",
                    (item["name"], item["uid"], item["created_at"])).fetchone():
        return 0
    clash = conn.execute("SELECT 1 FROM contacts WHERE id = ?", (item["id"],)).fetchone()
    cur = conn.execute(
        "INSERT INTO contacts (id, name, organization, note, favourite, uid, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (None if clash else item["id"], item["name"], item["organization"],
                                             item["note"], int(bool(item["favourite"])), item["uid"],
                                             item["created_at"], item["updated_at"]))
    for pos, a in enumerate(item["addresses"]):
        conn.execute("INSERT INTO contact_addresses (contact_id, kind, label, value, search, position)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (cur.lastrowid, a["kind"], a["label"], a["value"],
                                                    address_search(a["value"]), pos))
    return 1


def _import_consent(conn: Any, item: dict) -> int:
    if conn.execute("SELECT 1 FROM consent WHERE at = ? AND permission = ? AND granted = ?",
                    (item["at"], item["permission"], int(bool(item["granted"])))).fetchone():
        return 0
    return conn.execute("INSERT INTO consent (at, permission, granted, source, detail) VALUES (?, ?, ?, ?, ?)",
                        (item["at"], item["permission"], int(bool(item["granted"])), item["source"],
                         item["detail"])).rowcount


_IMPORTERS = {"accounts": _import_account, "settings": _import_setting, "calls": _import_call,
              "contacts": _import_contact, "consent": _import_consent}
