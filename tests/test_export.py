"""Export (JSON and CSV) and import: round trips, atomic writes at the chosen path only, bad files;
and through the CLI with the real Secret Service: export, wipe, import, export again."""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path

import pytest

from octasip.core.consent import Permission
from octasip.core.events import CallDirection
from octasip.core.history import CallStatus
from octasip.core.models import AccountConfig
from octasip.privacy.export import IMPORTED_SECTIONS, ExportError, export_csv, export_json, import_json, read_csv_export
from octasip.storage.accounts import AccountRepository
from octasip.storage.calls import CallLogRepository
from octasip.storage.consent import ConsentLedger
from octasip.storage.db import open_database, transaction
from octasip.storage.settings import SettingsRepository
from tests.test_cli_real import octasip


def _fill(conn) -> None:
    with transaction(conn):
        AccountRepository(conn).add(AccountConfig(uri="sip:alice@example.com", display_name="Alice"))
        SettingsRepository(conn).set("history.retention", "90d")
        SettingsRepository(conn).set("audio.output", "Ünïcode speaker")
        calls = CallLogRepository(conn)
        for i, (d, status) in enumerate([(CallDirection.OUTGOING, CallStatus.ANSWERED),
                                         (CallDirection.INCOMING, CallStatus.MISSED)]):
            row = calls.start(direction=d, remote_uri=f"sip:+4420794609{i}@example.net", remote_name=f"Zoë {i}",
                              account_id=1, session="s", started_at=1000.0 + i)
            calls.finish(row, status=status, code=200, reason="OK", duration=5.0 * i,
                         srtp_suite="AES_256_CM_HMAC_SHA1_80", codec="PCMU", ended_at=1010.0 + i)
        cur = conn.execute("INSERT INTO contacts (name, organization, note, favourite, uid, created_at, updated_at)"
                           " VALUES ('Chen Wei', 'ACME', 'line1\nline2, \"quoted\"', 1, 'uid-1', 5.0, 6.0)")
        for pos, (kind, label, value) in enumerate([("phone", "work", "+86 10 1234 5678"),
                                                    ("sip", "", "sip:chen@example.cn")]):
            conn.execute("INSERT INTO contact_addresses (contact_id, kind, label, value, search, position)"
                         " VALUES (?, ?, ?, ?, '', ?)", (cur.lastrowid, kind, label, value, pos))
        ConsentLedger(conn).record(Permission.MICROPHONE, True, "gui", at=7.0)
        ConsentLedger(conn).record(Permission.STORAGE, True, "gui", at=8.0)


@pytest.fixture
def db(tmp_path: Path):
    conns = []

    def make(name: str = "a"):
        c = open_database(tmp_path / f"{name}.db", secrets.token_bytes(32))
        conns.append(c)
        return c

    yield make
    for c in conns:
        c.close()


def _sections(path: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc.pop("format") == "octasip-export" and doc.pop("version") == 1
    doc.pop("exported_at")
    return doc


def test_json_export_round_trips_through_import(db, tmp_path: Path) -> None:
    src = db("src")
    _fill(src)
    out = tmp_path / "export" / "mine.json"
    out.parent.mkdir()
    report = export_json(src, out)
    assert report.counts == {"accounts": 1, "settings": 2, "contacts": 1, "calls": 2, "consent": 2, "recordings": 0,
                             "recording_access": 0}
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert sorted(p.name for p in out.parent.iterdir()) == ["mine.json"], "no temporary file is left behind"
    first = _sections(out)
    assert "password" not in json.dumps(first).lower()

    dst = db("dst")
    imported = {k: report.counts[k] for k in IMPORTED_SECTIONS}  # recordings stay with their files
    assert import_json(dst, out) == imported
    assert import_json(dst, out) == dict.fromkeys(imported, 0), "importing twice adds nothing"
    again = tmp_path / "again.json"
    export_json(dst, again)
    second = _sections(again)
    for a in first["accounts"] + second["accounts"]:
        a.pop("created_at")
    assert second == first


def test_csv_export_holds_the_same_data(db, tmp_path: Path) -> None:
    conn = db()
    _fill(conn)
    export_json(conn, tmp_path / "x.json")
    doc = _sections(tmp_path / "x.json")
    report = export_csv(conn, tmp_path / "csv")
    assert sorted(p.name for p in report.paths) == ["accounts.csv", "calls.csv", "consent.csv", "contacts.csv",
                                                    "recording_access.csv", "recordings.csv", "settings.csv"]
    data = read_csv_export(tmp_path / "csv")
    assert [r["remote_name"] for r in data["calls"]] == [c["remote_name"] for c in doc["calls"]]
    assert data["contacts"][0]["note"] == 'line1\nline2, "quoted"'
    assert data["contacts"][0]["addresses"].splitlines() == ["phone:work:+86 10 1234 5678",
                                                            "sip::sip:chen@example.cn"]
    assert {r["key"]: json.loads(r["value"]) for r in data["settings"]} == {
        s["key"]: s["value"] for s in doc["settings"]}
    assert [r["permission"] for r in data["consent"]] == ["microphone", "storage"]


def test_empty_profile_exports_headers_only(db, tmp_path: Path) -> None:
    export_csv(db(), tmp_path / "csv")
    assert (tmp_path / "csv" / "calls.csv").read_text().startswith("id,account_id,direction,")


def test_existing_files_are_not_replaced_without_force(db, tmp_path: Path) -> None:
    conn = db()
    out = tmp_path / "mine.json"
    out.write_text("keep me")
    with pytest.raises(ExportError, match="already exists"):
        export_json(conn, out)
    assert out.read_text() == "keep me"
    export_json(conn, out, force=True)
    assert json.loads(out.read_text())["format"] == "octasip-export"
    with pytest.raises(ExportError, match="does not exist"):
        export_json(conn, tmp_path / "nowhere" / "x.json")


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "not an OctaSIP JSON export"), ('{"format": "other"}', "not an OctaSIP export"),
    ('{"format": "octasip-export", "version": 99}', "version 99"),
    ('{"format": "octasip-export", "version": 1, "calls": [{"id": 1}]}', "malformed entry"),
    ('{"format": "octasip-export", "version": 1, "calls": 5}', "not a list")])
def test_bad_import_files_are_refused_with_nothing_imported(db, tmp_path: Path, content: str, message: str) -> None:
    conn = db()
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(ExportError, match=message):
        import_json(conn, bad)
    assert conn.execute("SELECT count(*) FROM calls").fetchone()[0] == 0


@pytest.mark.real
def test_cli_export_wipe_import_round_trip(octasip_home, secret_service, tmp_path: Path) -> None:
    from octasip.profile import Profile

    with Profile.open() as profile:
        _fill(profile.conn)
    first = tmp_path / "first.json"
    res = octasip("export", "--format", "json", "--out", str(first))
    assert res.returncode == 0, res.stderr
    assert "NOT encrypted" in res.stdout
    csv_dir = tmp_path / "csv"
    assert octasip("export", "--format", "csv", "--out", str(csv_dir)).returncode == 0
    assert (csv_dir / "calls.csv").is_file()
    again = octasip("export", "--out", str(first))
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr
    assert octasip("wipe", "--yes").returncode == 0
    res = octasip("import", str(first))
    assert res.returncode == 0, res.stderr
    assert "Passwords are not in exports" in res.stdout
    second = tmp_path / "second.json"
    assert octasip("export", "--out", str(second)).returncode == 0
    a, b = _sections(first), _sections(second)
    for acc in a["accounts"] + b["accounts"]:
        acc.pop("created_at")
    assert a == b
