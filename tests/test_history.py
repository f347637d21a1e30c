"""The call log: repository, search against a brute-force reference, the journal (engine events to
rows), crash recovery with session locks, retention, the consent ledger and migrations from every
earlier schema version."""

from __future__ import annotations

import random
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from octasip.core.consent import Permission
from octasip.core.events import CallChanged, CallDirection, CallEnded, CallMedia, CallQuality, CallQualityUpdated
from octasip.core.events import CallState as S
from octasip.core.history import CallStatus, HistoryFilter, normalise_term, search_text
from octasip.privacy import retention
from octasip.storage import migrations
from octasip.storage.call_journal import CallJournal, recover_interrupted
from octasip.storage.calls import CallLogRepository
from octasip.storage.consent import ConsentLedger
from octasip.storage.db import open_database, transaction
from octasip.storage.session_lock import SessionLock, dead_sessions
from octasip.storage.settings import SettingsRepository

OUT, IN = CallDirection.OUTGOING, CallDirection.INCOMING


@pytest.fixture
def conn(tmp_path: Path):
    c = open_database(tmp_path / "octasip.db", secrets.token_bytes(32))
    yield c
    c.close()


def _add(repo: CallLogRepository, uri: str, name: str = "", at: float = 1000.0, direction=OUT,
         status=CallStatus.ANSWERED, duration: float = 10.0) -> int:
    row = repo.start(direction=direction, remote_uri=uri, remote_name=name, account_id=1, session="s",
                     started_at=at)
    if status is CallStatus.ANSWERED:
        repo.answered(row, at + 2)
    repo.finish(row, status=status, code=200 if status is CallStatus.ANSWERED else 487, reason="",
                duration=duration, ended_at=at + 2 + duration)
    return row


# ---------------------------------------------------------------- search
def test_search_text_and_terms_are_normalised() -> None:
    text = search_text("sip:+44 20 7946 0958@sip.Example.net;transport=tls", "Zoë Ångström")
    assert "zoë ångström" in text and "sip.example.net" in text and "442079460958" in text
    assert normalise_term(" +44 (20) 7946-0958 ") == "442079460958"
    assert normalise_term("ZOË") == "zoë"
    assert search_text("sip:alice@example.com", "") == "alice@example.com"


def test_search_matches_a_brute_force_reference(conn) -> None:
    """Both routes (the newest-rows walk and the trigram index, short terms through its vocabulary)
    return exactly the newest matches, whatever the term's frequency."""
    import octasip.storage.calls as calls_mod

    rng = random.Random(3)
    repo = CallLogRepository(conn)
    names = ["Alice Martin", "Bob Stone", "Zoë Ångström", "Chen Wei", "", "Dmitri Ivanov"]
    with transaction(conn):
        for i in range(3000):
            name = rng.choice(names) if i != 1234 else "Quentin Xylo"
            number = f"+1555{rng.randrange(10**6, 10**7)}"
            _add(repo, f"sip:{number}@voip.example.org", name, at=1000.0 + i,
                 direction=rng.choice([IN, OUT]), status=rng.choice([CallStatus.ANSWERED, CallStatus.MISSED]))
    everything = repo.newest(10_000)
    assert len(everything) == 3000

    def reference(term: str, flt: HistoryFilter) -> list[int]:
        needle = normalise_term(term)
        keep = {HistoryFilter.ALL: lambda r: True, HistoryFilter.MISSED: lambda r: r.missed,
                HistoryFilter.INCOMING: lambda r: r.direction is IN,
                HistoryFilter.OUTGOING: lambda r: r.direction is OUT}[flt]
        return [r.id for r in everything if keep(r) and needle in search_text(r.remote_uri, r.remote_name)][:50]

    old_walk = calls_mod.WALK_ROWS
    calls_mod.WALK_ROWS = 200  # make the index route do the work for anything rarer than 1 in 4
    try:
        for term in ["alice", "ALICE", "xylo", "qu", "ö", "zoë", "55", "+1 555", "zz", "x", "voip", "nobody",
                     "ång", '"', "%", "_"]:
            for flt in HistoryFilter:
                got = [r.id for r in repo.search(term, 50, flt)]
                assert got == reference(term, flt), (term, flt)
    finally:
        calls_mod.WALK_ROWS = old_walk


def test_pages_follow_each_other_without_gaps(conn) -> None:
    repo = CallLogRepository(conn)
    with transaction(conn):
        for i in range(250):
            _add(repo, f"sip:u{i}@x", at=1000.0 + (i // 3))  # ties on started_at
    seen: list[int] = []
    before = None
    while page := repo.newest(40, before=before):
        seen += [r.id for r in page]
        before = page[-1].id
    assert len(seen) == len(set(seen)) == 250
    assert seen == [r.id for r in repo.newest(1000)]


def test_delete_clear_and_counts(conn) -> None:
    repo = CallLogRepository(conn)
    a = _add(repo, "sip:a@x", "Ann")
    _add(repo, "sip:b@x", "Ben", direction=IN, status=CallStatus.MISSED)
    assert repo.count() == 2 and repo.count(HistoryFilter.MISSED) == 1 and repo.missed_since(0) == 1
    assert repo.delete(a) and not repo.delete(a)
    assert [r.remote_name for r in repo.search("ann")] == []
    assert repo.clear() == 1 and repo.count() == 0


# ---------------------------------------------------------------- journal
def _changed(call_id: int, state: S, direction=OUT, uri="sip:bob@example.com") -> CallChanged:
    return CallChanged(call_id, 1, direction, state, uri, "Bob")


def _ended(call_id: int, answered: bool, code: int, duration: float = 0.0, direction=OUT) -> CallEnded:
    return CallEnded(call_id, 1, direction, "sip:bob@example.com", "Bob", code, "", ("calling",), answered, duration,
                     50.0, "tls", CallMedia("PCMU", "AES_CM_128_HMAC_SHA1_80"), CallQuality(20.0, 1.5, 0.0))


class Clock:
    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t


def test_journal_writes_a_row_at_start_and_completes_it(conn) -> None:
    clock = Clock()
    j = CallJournal(conn, "sess", clock=clock)
    j.handle(_changed(1, S.CALLING))
    row = CallLogRepository(conn).get(j.row_of(1))
    assert row.status is CallStatus.ACTIVE and row.ended_at is None and row.remote_name == "Bob"
    clock.t += 2
    j.handle(_changed(1, S.CONFIRMED))
    clock.t += 6
    j.handle(CallQualityUpdated(1, CallQuality(10.0, 3.0, 0.5)))
    heartbeat = CallLogRepository(conn).get(row.id)
    clock.t += 4
    j.handle(_ended(1, True, 200, 10.0))
    done = CallLogRepository(conn).get(row.id)
    assert heartbeat.jitter_ms == 3.0
    assert done.status is CallStatus.ANSWERED and done.answered_at == 5002.0 and done.ended_at == 5012.0
    assert done.duration == 10.0 and done.srtp_suite == "AES_CM_128_HMAC_SHA1_80" and done.codec == "PCMU"
    assert done.transport == "tls" and done.rtt_ms == 20.0 and done.code == 200


@pytest.mark.parametrize(("direction", "code", "status", "missed"), [
    (IN, 487, CallStatus.MISSED, True), (IN, 486, CallStatus.DECLINED, False), (IN, 603, CallStatus.DECLINED, False),
    (OUT, 487, CallStatus.CANCELLED, False), (OUT, 404, CallStatus.FAILED, False)])
def test_unanswered_calls_get_their_status(conn, direction, code, status, missed) -> None:
    j = CallJournal(conn, "sess")
    j.handle(_changed(7, S.INCOMING if direction is IN else S.CALLING, direction))
    j.handle(_ended(7, False, code, direction=direction))
    (rec,) = CallLogRepository(conn).newest()
    assert rec.status is status and rec.missed is missed and rec.duration == 0 and rec.srtp_suite is None


def test_the_retention_purge_also_runs_daily_between_calls(conn) -> None:
    clock, runs = Clock(), []
    j = CallJournal(conn, "sess", clock=clock, daily=lambda: runs.append(clock.t))
    j.handle(_changed(1, S.CALLING))
    j.handle(_ended(1, True, 200, 3.0))
    clock.t += 86400
    j.handle(_changed(2, S.CALLING))
    j.handle(_changed(3, S.CALLING))
    j.handle(_ended(2, True, 200, 3.0))
    assert runs == []  # not while another call is running
    j.handle(_ended(3, True, 200, 3.0))
    j.handle(_changed(4, S.CALLING))
    j.handle(_ended(4, True, 200, 3.0))
    assert runs == [clock.t]


def test_incognito_calls_and_no_history_leave_no_row(conn) -> None:
    j = CallJournal(conn, "sess")
    j.incognito(1)
    j.handle(_changed(1, S.CALLING))
    j.handle(_ended(1, True, 200, 3.0))
    j.handle(_changed(2, S.CALLING))
    j.incognito(2)  # switched on during the call: the row goes at once
    j.handle(_ended(2, True, 200, 3.0))
    off = CallJournal(conn, "sess", keep_history=False)
    off.handle(_changed(3, S.CALLING))
    off.handle(_ended(3, True, 200, 3.0))
    assert CallLogRepository(conn).count() == 0


def test_a_failing_write_is_reported_and_never_raised(conn) -> None:
    errors: list[str] = []
    j = CallJournal(conn, "sess", on_error=errors.append)
    conn.execute("PRAGMA query_only = ON")
    j.handle(_changed(1, S.CALLING))
    j.handle(_ended(1, True, 200, 3.0))
    conn.execute("PRAGMA query_only = OFF")
    assert errors and "could not be saved to the call history" in errors[0]
    assert "bob" not in " ".join(errors).lower()


# ---------------------------------------------------------------- crash recovery
def test_dead_sessions_are_told_apart_from_live_ones(tmp_path: Path) -> None:
    with SessionLock(tmp_path) as live:
        dead_proc = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
            import os, sys
            sys.path.insert(0, {str(Path(__file__).parents[1])!r})
            from octasip.storage.session_lock import SessionLock
            lock = SessionLock(__import__('pathlib').Path({str(tmp_path)!r})).acquire()
            print(lock.id, flush=True)
            os._exit(0)  # no clean-up: as after kill -9
        """)], capture_output=True, text=True, check=True)
        dead_id = dead_proc.stdout.strip()
        assert (tmp_path / "run" / f"{dead_id}.lock").exists()
        assert dead_sessions(tmp_path, {live.id, dead_id, "unknown", ""}) == {dead_id, "unknown", ""}
        assert not (tmp_path / "run" / f"{dead_id}.lock").exists()
    assert not (tmp_path / "run" / f"{live.id}.lock").exists()


def test_recovery_closes_only_dead_sessions_calls_as_interrupted(conn, tmp_path: Path) -> None:
    repo = CallLogRepository(conn)
    earlier = _add(repo, "sip:old@x", "Old")
    with SessionLock(tmp_path) as live:
        dead = repo.start(direction=OUT, remote_uri="sip:dead@x", account_id=1, session="deadbeef", started_at=100.0)
        repo.answered(dead, 102.0)
        repo.heartbeat(dead, 130.0)
        running = repo.start(direction=IN, remote_uri="sip:live@x", account_id=1, session=live.id, started_at=200.0)
        assert recover_interrupted(conn, tmp_path) == 1
        d = repo.get(dead)
        assert d.status is CallStatus.INTERRUPTED and d.ended_at == 130.0 and d.duration == 28.0
        assert repo.get(running).status is CallStatus.ACTIVE
        assert repo.get(earlier).status is CallStatus.ANSWERED


# ---------------------------------------------------------------- retention
def test_retention_purges_exactly_what_it_should(conn) -> None:
    repo = CallLogRepository(conn)
    now = 1_000_000_000.0
    day = 86400.0
    ages = [0.5, 6.9, 7.1, 29, 31, 89, 91, 364, 366, 5000]
    with transaction(conn):
        ids = {age: _add(repo, f"sip:a{age}@x", at=now - age * day) for age in ages}
        active = repo.start(direction=OUT, remote_uri="sip:now@x", account_id=1, session="s",
                            started_at=now - 400 * day)
    expect = {"forever": ages, "1y": [a for a in ages if a < 365], "90d": [a for a in ages if a < 90],
              "30d": [a for a in ages if a < 30], "7d": [a for a in ages if a < 7], "none": []}
    for choice in ("forever", "1y", "90d", "30d", "7d", "none"):
        retention.set_retention(conn, choice, now=now)
        kept = {r.id for r in repo.newest(100)} - {active}
        assert kept == {ids[a] for a in expect[choice]}, choice
        assert repo.get(active) is not None  # a call in progress is never purged
    assert retention.keeps_history(SettingsRepository(conn)) is False
    with pytest.raises(ValueError):
        retention.set_retention(conn, "2 weeks")


def test_bulk_purge_rebuilds_the_table_and_its_indexes(conn, monkeypatch) -> None:
    import octasip.storage.calls as calls_mod

    monkeypatch.setattr(calls_mod, "BULK_PURGE_ROWS", 10)
    repo = CallLogRepository(conn)
    with transaction(conn):
        for i in range(100):
            _add(repo, f"sip:user{i}@example.org", f"Name {i}", at=1000.0 + i)
    before = {r.id: r for r in repo.newest(1000)}
    with transaction(conn):
        assert repo.purge_before(1080.0) == 80
    after = repo.newest(1000)
    assert [r.id for r in after] == [i for i in before if before[i].started_at >= 1080.0]
    assert all(before[r.id] == r for r in after)
    assert [r.remote_name for r in repo.search("name 9", 50)] == [f"Name {i}" for i in range(99, 89, -1)]
    assert repo.search("name 5") == []
    conn.execute("INSERT INTO calls_fts (calls_fts) VALUES ('integrity-check')")
    new = _add(repo, "sip:new@x", "Newcomer", at=5000.0)  # triggers are back
    assert [r.id for r in repo.search("newcomer")] == [new]
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'calls'")} >= {
        "calls_missed", "calls_direction", "calls_open", "calls_fts_insert", "calls_fts_delete",
        "calls_fts_update", "calls_trigrams_insert"}


# ---------------------------------------------------------------- consent ledger
def test_consent_ledger_keeps_every_decision(conn) -> None:
    ledger = ConsentLedger(conn)
    assert ledger.current(Permission.MICROPHONE) is None
    ledger.record(Permission.MICROPHONE, True, "gui", at=1.0)
    ledger.record(Permission.MICROPHONE, False, "gui", at=2.0)
    ledger.record("contacts", True, "cli", at=3.0)
    assert ledger.current("microphone") is False and ledger.current(Permission.CONTACTS) is True
    assert [(e.permission, e.granted, e.at) for e in ledger.entries()] == [
        ("microphone", True, 1.0), ("microphone", False, 2.0), ("contacts", True, 3.0)]
    with pytest.raises(ValueError):
        ledger.record("camera", True)


# ---------------------------------------------------------------- migrations
def _database_at(path: Path, key: bytes, version: int):
    """A database built by the migrations up to ``version``, as that release would have left it."""
    import sqlcipher3.dbapi2 as sqlcipher

    c = sqlcipher.connect(str(path), isolation_level=None)
    c.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    c.execute("PRAGMA journal_mode = WAL")
    migrations.migrate(c, migrations.MIGRATIONS[:version])
    return c


@pytest.mark.parametrize("version", range(migrations.LATEST_VERSION))
def test_every_earlier_schema_version_opens_and_upgrades(tmp_path: Path, version: int) -> None:
    key = secrets.token_bytes(32)
    db = tmp_path / "octasip.db"
    old = _database_at(db, key, version)
    if version >= 1:
        old.execute("INSERT INTO accounts (uri, transport, expiry, allow_direct_calls, dtmf_mode, enabled)"
                    " VALUES ('sip:kept@example.com', 'tls', 300, 0, 'rfc4733', 1)")
        old.execute("INSERT INTO settings (key, value) VALUES ('history.retention', '\"90d\"')")
    old.close()
    conn = open_database(db, key)
    try:
        assert migrations.schema_version(conn) == migrations.LATEST_VERSION
        if version >= 1:
            assert conn.execute("SELECT uri FROM accounts").fetchall() == [("sip:kept@example.com",)]
            assert SettingsRepository(conn).get("history.retention") == "90d"
        row = _add(CallLogRepository(conn), "sip:after@upgrade", "After Upgrade")
        assert [r.id for r in CallLogRepository(conn).search("upgrade")] == [row]
    finally:
        conn.close()
