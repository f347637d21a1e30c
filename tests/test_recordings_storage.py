"""Recordings in the profile (no engine): the opt-in and its ledger, rows, crash recovery, damage reports,
decode/export/delete with the access log, retention purge, a missing master key, the data export."""

from __future__ import annotations

import json
import math
import secrets
import struct
import wave
from pathlib import Path

import pytest

from octasip.core.recordings import MASTER_KEY_NAME, AccessAction, RecordingState
from octasip.privacy.export import export_json
from octasip.privacy.recording_control import RecordingControl, RecordingRefused
from octasip.privacy.recording_format import AudioFormat, MasterKeyMissingError, RecordingError, RecordingWriter
from octasip.privacy.recordings import RecordingLibrary
from octasip.storage.db import open_database

FMT = AudioFormat(16000, 2, 2)
DAY = 86400.0


class FakeSecrets:
    """Only what RecordingLibrary uses (unit tests; the real Secret Service is in the real-peer tests)."""

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}

    def get_key(self, name: str) -> bytes | None:
        return self.keys.get(name)

    def get_or_create_key(self, name: str) -> bytes:
        return self.keys.setdefault(name, secrets.token_bytes(32))


@pytest.fixture
def lib(tmp_path: Path):
    conn = open_database(tmp_path / "octasip.db", secrets.token_bytes(32))
    yield RecordingLibrary(tmp_path, conn, FakeSecrets(), source="test")
    conn.close()


def _pcm(seconds: float) -> bytes:
    n = int(FMT.rate * seconds)
    return b"".join(struct.pack("<hh", int(8000 * math.sin(2 * math.pi * 440 * i / FMT.rate)), 0) for i in range(n))


def _record(lib: RecordingLibrary, seconds: float = 2.0, close: bool = True, started: float | None = None) -> str:
    rid = lib.new_id()
    lib.begin(rid, None, 2, 16000, now=started)
    w = RecordingWriter(lib.path_for(rid), lib.secrets.keys[MASTER_KEY_NAME], rid, FMT)
    w.write(_pcm(seconds))
    if close:
        w.close()
        lib.end(rid, w.seconds)
    else:
        os_close(w)
    return rid


def os_close(w: RecordingWriter) -> None:
    """What a SIGKILL leaves: the sealed chunks on disk, the partial one lost, no final chunk."""
    import os

    os.close(w._fd)
    w._fd = None


def test_opt_in_needs_the_notice_and_is_in_the_ledger(lib):
    assert not lib.enabled()
    with pytest.raises(RecordingError, match="consent notice"):
        lib.enable(False)
    with pytest.raises(RecordingError, match="turned on first"):
        lib.set_always_record(True)
    control = RecordingControl(lib)
    with pytest.raises(RecordingRefused, match="recording is off"):
        control.start(1)
    assert not (lib.data_dir / "recordings").exists() or not list((lib.data_dir / "recordings").iterdir())
    lib.enable(True)
    assert lib.enabled() and MASTER_KEY_NAME in lib.secrets.keys and lib.announce()
    lib.set_always_record(True)
    assert lib.always_record()
    lib.disable()
    assert not lib.enabled() and not lib.always_record()
    lib.set_announce(False)
    assert not lib.announce() and not lib.enabled()
    ledger = [(e.permission, e.granted, e.detail) for e in lib.consent.entries()]
    assert ledger == [("recording", True, "notice v1"), ("recording", True, "always record on"),
                      ("recording", False, ""), ("recording", False, "announcement tone off")]


def test_control_writes_the_row_first_and_completes_it_from_the_event(lib):
    from octasip.core.events import RecordingStarted, RecordingStopped

    lib.enable(True)
    control = RecordingControl(lib, row_of=lambda _c: None)
    command = control.start(7)
    assert command.announce and command.channels == 2 and Path(command.path).parent == lib.recordings_dir
    assert lib.get(command.recording_id).state is RecordingState.RECORDING
    w = RecordingWriter(Path(command.path), lib.secrets.keys[MASTER_KEY_NAME], command.recording_id, FMT)
    w.write(_pcm(1.0))
    w.close()
    control.handle(RecordingStarted(7, command.recording_id, 2, 16000))
    assert control.recording(7)
    control.handle(RecordingStopped(7, command.recording_id, 1.0))
    info = lib.get(command.recording_id)
    assert info.state is RecordingState.COMPLETE and info.seconds == 1.0 and info.size > 0
    assert not control.pending(7)


def test_a_killed_recording_is_recovered_as_truncated(lib):
    lib.enable(True)
    rid = _record(lib, seconds=2.3, close=False)
    assert lib.recover() == 1
    info = lib.get(rid)
    assert info.state is RecordingState.TRUNCATED and info.seconds == pytest.approx(2.0)
    report = lib.verify(rid)
    assert report.truncated and not report.damaged and "cut short" in report.describe()


def test_one_flipped_byte_is_reported_and_the_rest_decrypts(lib):
    lib.enable(True)
    rid = _record(lib, seconds=3.0)
    path = lib.path_for(rid)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data))
    report = lib.verify(rid)
    assert len(report.damaged) == 1 and report.good == report.chunks - 1
    assert "1 of" in report.describe() and "can be recovered" in report.describe()
    fmt, pcm, _ = lib.decode(rid, "test")  # plays, with the damaged half second silent
    assert len(pcm) == 3 * 16000 * 4 and fmt.channels == 2


def test_decode_export_delete_and_the_access_log(lib, tmp_path):
    lib.enable(True)
    rid = _record(lib, seconds=1.5)
    fmt, pcm, report = lib.decode(rid)
    assert report.intact and fmt.rate == 16000
    out = tmp_path / "out" / "call.wav"
    out.parent.mkdir()
    lib.export(rid, out, "wav")
    with wave.open(str(out)) as w:
        assert (w.getnchannels(), w.getframerate(), w.readframes(w.getnframes())) == (2, 16000, pcm)
    with pytest.raises(RecordingError, match="already exists"):
        lib.export(rid, out, "wav")
    lib.export(rid, tmp_path / "out" / "mixed.ogg", "ogg", mix=True)
    assert (tmp_path / "out" / "mixed.ogg").read_bytes()[:4] == b"OggS"
    assert [p.name for p in out.parent.iterdir() if p.name.endswith(".part")] == []
    lib.delete(rid, "test")
    assert lib.repo.get(rid) is None and not lib.path_for(rid).exists()
    log = [(e.action.value, e.detail) for e in lib.repo.access_log()]
    assert log == [("play", ""), ("export", "wav"), ("export", "ogg mixed"), ("delete", "")]
    assert str(tmp_path) not in json.dumps([e.as_dict() for e in lib.repo.access_log()])


def test_retention_purges_old_recordings_and_logs_each(lib):
    import time

    lib.enable(True)
    old = _record(lib, started=time.time() - 40 * DAY)
    new = _record(lib)
    assert lib.retention() == "30d"
    assert lib.purge() == 1
    assert lib.repo.get(old) is None and not lib.path_for(old).exists() and lib.repo.get(new) is not None
    assert [(e.action.value, e.source) for e in lib.repo.access_log()] == [("purge", "retention")]
    assert lib.set_retention("forever") == 0
    with pytest.raises(ValueError):
        lib.set_retention("3d")


def test_a_missing_master_key_is_clear_and_deletes_nothing(lib, tmp_path):
    lib.enable(True)
    rid = _record(lib)
    lib.secrets.keys.clear()
    for action in (lambda: lib.decode(rid), lambda: lib.verify(rid), lambda: lib.export(rid, tmp_path / "x.wav")):
        with pytest.raises(MasterKeyMissingError, match="not in the keyring"):
            action()
    assert lib.path_for(rid).exists() and lib.repo.get(rid) is not None and not (tmp_path / "x.wav").exists()
    assert lib.repo.access_log() == []


def test_orphan_files_are_listed_never_deleted(lib):
    lib.enable(True)
    stray = lib.recordings_dir / ("ab" * 16 + ".octarec")
    stray.write_bytes(b"x")
    assert lib.orphans() == [stray] and lib.purge() == 0 and stray.exists()


def test_the_data_export_lists_recordings_and_the_access_log_never_audio(lib, tmp_path):
    lib.enable(True)
    rid = _record(lib)
    lib.decode(rid)
    out = tmp_path / "export.json"
    export_json(lib.conn, out)
    doc = json.loads(out.read_text())
    assert [r["id"] for r in doc["recordings"]] == [rid] and doc["recordings"][0]["state"] == "complete"
    assert [a["action"] for a in doc["recording_access"]] == ["play"]
    assert b"RIFF" not in out.read_bytes()


# ---------------------------------------------------------------- ending a recording: checked against the file
def test_end_sets_the_state_from_the_file_not_only_from_the_engine(lib):
    lib.enable(True)
    key = lib.secrets.keys[MASTER_KEY_NAME]

    def written(seconds: float, close: bool) -> str:
        rid = lib.new_id()
        lib.begin(rid, None, 2, 16000)
        w = RecordingWriter(lib.path_for(rid), key, rid, FMT)
        w.write(_pcm(seconds))
        w.close() if close else os_close(w)
        return rid

    done = written(1.2, close=True)
    assert lib.end(done, 1.2) is RecordingState.COMPLETE and lib.repo.error(done) == ""
    stopped = written(1.2, close=True)  # the engine stopped early (a full disk) but sealed what it had
    assert lib.end(stopped, 1.2, "the disk is full") is RecordingState.TRUNCATED
    assert lib.get(stopped).seconds == pytest.approx(1.2) and lib.repo.error(stopped) == "the disk is full"
    unsealed = written(2.3, close=False)  # no final chunk, and the engine said nothing: still truncated
    assert lib.end(unsealed, 2.3) is RecordingState.TRUNCATED
    assert lib.get(unsealed).seconds == pytest.approx(2.0) and "not closed properly" in lib.repo.error(unsealed)
    empty = written(0.2, close=False)  # only the header reached the disk
    assert lib.end(empty, 0.2) is RecordingState.FAILED and lib.get(empty).seconds == 0
    missing = lib.new_id()
    lib.begin(missing, None, 2, 16000)
    assert lib.end(missing, 0.0, "the keyring is locked") is RecordingState.FAILED
    assert lib.repo.error(missing) == "the keyring is locked"
    assert lib.repo.open_recordings() == []


def test_end_without_the_master_key_still_completes_the_row(lib):
    lib.enable(True)
    rid = _record(lib, seconds=0.7, close=False)
    lib.secrets.keys.clear()
    assert lib.end(rid, 0.7) is RecordingState.COMPLETE  # cannot check now: the engine's word; verify tells later
    assert lib.repo.open_recordings() == [] and lib.path_for(rid).exists()


def test_a_recording_sealed_before_the_crash_recovers_as_complete(lib):
    lib.enable(True)
    rid = lib.new_id()
    lib.begin(rid, None, 2, 16000)
    w = RecordingWriter(lib.path_for(rid), lib.secrets.keys[MASTER_KEY_NAME], rid, FMT)
    w.write(_pcm(1.0))
    w.close()  # the process died before the RecordingStopped event reached the database
    assert lib.recover() == 1
    assert lib.get(rid).state is RecordingState.COMPLETE and lib.repo.error(rid) == ""
    assert lib.get(rid).seconds == pytest.approx(1.0)


def test_recording_ids_are_plain_ascii(lib):
    for bad in ("../octasip", "ab/cd", "é" * 4, "", "a b"):
        with pytest.raises(RecordingError, match="not a recording id"):
            lib.path_for(bad)


# ---------------------------------------------------------------- the repository beside the call history
def test_repository_lists_recordings_beside_their_calls(lib):
    from octasip.core.events import CallDirection
    from octasip.core.history import CallStatus
    from octasip.storage.calls import CallLogRepository

    calls = CallLogRepository(lib.conn)

    def call(uri: str, name: str, at: float) -> int:
        row = calls.start(direction=CallDirection.OUTGOING, remote_uri=uri, remote_name=name, account_id=1,
                          session="s", started_at=at)
        calls.finish(row, status=CallStatus.ANSWERED, code=200, reason="", duration=5.0, ended_at=at + 5)
        return row

    bob = call("sip:bob@example.net;transport=tls", "", 1000.0)
    carol = call("<sip:+15551234567@example.net>", "Carol", 2000.0)
    repo = lib.repo
    repo.start("a1", bob, 1001.0, 2, 16000)
    repo.start("a2", bob, 1003.0, 1, 16000)
    repo.start("c1", carol, 2001.0, 2, 16000)
    repo.start("n1", None, 3000.0, 2, 16000)  # incognito: no history row
    repo.finish("a1", 1002.0, 1.0, RecordingState.COMPLETE)
    assert [r.id for r in repo.list()] == ["n1", "c1", "a2", "a1"]
    assert [r.id for r in repo.list(limit=2)] == ["n1", "c1"]
    assert [r.id for r in repo.list(before=2001.0)] == ["a2", "a1"]
    assert [r.id for r in repo.list(call_row=bob)] == ["a2", "a1"]
    got = {r.id: r for r in repo.list()}
    assert got["a1"].remote == "bob@example.net" and got["c1"].remote == "Carol" and got["n1"].remote == ""
    assert got["a1"].state is RecordingState.COMPLETE and got["a2"].state is RecordingState.RECORDING
    assert got["a2"].channels == 1 and got["a1"].seconds == 1.0
    assert {k: [r.id for r in v] for k, v in repo.for_calls([bob, carol, 999]).items()} == \
        {bob: ["a1", "a2"], carol: ["c1"]}
    assert sorted(repo.open_recordings()) == ["a2", "c1", "n1"]
    assert repo.older_than(2500.0) == ["a1"]  # never one still being recorded
    repo.log_access("a1", AccessAction.PLAY, "test")
    # The history row goes first (its own retention): the recording stays, alone, and so does its log.
    lib.conn.execute("DELETE FROM calls WHERE id = ?", (bob,))
    assert repo.get("a1").call_row is None and repo.get("a1").remote == ""
    assert repo.delete("a1") and not repo.delete("a1") and repo.get("a1") is None
    assert [(e.recording_id, e.action) for e in repo.access_log()] == [("a1", AccessAction.PLAY)]


# ---------------------------------------------------------------- export: formats, failures, messages
def test_ogg_export_is_opus_at_the_recording_rate(lib, tmp_path):
    import soundfile

    lib.enable(True)
    rid = _record(lib, seconds=1.5)
    out = lib.export(rid, tmp_path / "call.ogg", "ogg")
    info = soundfile.info(str(out))
    assert (info.format, info.subtype, info.samplerate, info.channels) == ("OGG", "OPUS", 16000, 2)
    assert abs(info.frames - 24000) <= 960  # Opus frames round the end


def test_a_failed_export_leaves_nothing_and_names_no_folder(lib, tmp_path, monkeypatch):
    import soundfile

    lib.enable(True)
    rid = _record(lib, seconds=0.6)
    folder = tmp_path / "private-folder"
    folder.mkdir()
    (folder / "taken.wav").write_bytes(b"mine")
    with pytest.raises(RecordingError) as exists:
        lib.export(rid, folder / "taken.wav", "wav")
    with pytest.raises(RecordingError) as nowhere:
        lib.export(rid, tmp_path / "missing" / "call.wav", "wav")

    def broken(*_a, **_k):
        raise soundfile.LibsndfileError(1, "simulated")

    monkeypatch.setattr(soundfile, "SoundFile", broken)
    with pytest.raises(RecordingError, match="libsndfile") as failed:
        lib.export(rid, folder / "call.ogg", "ogg")
    with pytest.raises(RecordingError, match="format must be"):
        lib.export(rid, folder / "call.mp3", "mp3")
    for e in (exists, nowhere, failed):
        assert str(tmp_path) not in str(e.value) and "private-folder" not in str(e.value)
    assert "taken.wav" in str(exists.value)
    assert sorted(p.name for p in folder.iterdir()) == ["taken.wav"]  # no temporary file left
    assert (folder / "taken.wav").read_bytes() == b"mine"
    assert lib.repo.access_log() == []  # nothing was exported, so nothing is logged as one
    lib.export(rid, folder / "taken.wav", "wav", overwrite=True)
    assert [(e.action.value, e.detail) for e in lib.repo.access_log()] == [("export", "wav")]


def test_the_csv_export_lists_recordings_and_the_access_log(lib, tmp_path):
    from octasip.privacy.export import export_csv, read_csv_export

    lib.enable(True)
    rid = _record(lib)
    lib.export(rid, tmp_path / "copy.wav", "wav")
    export_csv(lib.conn, tmp_path / "csv")
    data = read_csv_export(tmp_path / "csv")
    assert [r["id"] for r in data["recordings"]] == [rid] and data["recordings"][0]["state"] == "complete"
    assert [(a["recording_id"], a["action"], a["detail"]) for a in data["recording_access"]] == \
        [(rid, "export", "wav")]
    for p in (tmp_path / "csv").iterdir():
        assert b"RIFF" not in p.read_bytes() and b"copy.wav" not in p.read_bytes()


# ---------------------------------------------------------------- wipe and start-up housekeeping
def test_wipe_deletes_the_recording_master_key_and_the_files(lib, tmp_path):
    from octasip.privacy.wipe import wipe

    class Keyring:  # what wipe uses of SecretStore (the real keyring: tests/test_wipe_real.py)
        def __init__(self, keys: dict[str, bytes]) -> None:
            self.items = {f"key:{k}" for k in keys} | {"key:database"}
            self.asked: tuple[str, ...] = ()

        def check(self) -> None:
            pass

        def get_key(self, name: str) -> None:
            from octasip.secrets import SecretStoreError

            raise SecretStoreError("locked")  # no account ids from the database: wipe goes on without them

        def entries(self, account_ids=(), key_names=("database",)) -> list[str]:
            self.asked = tuple(key_names)
            return sorted(self.items | {f"key:{k}" for k in key_names})

        def delete_entry(self, entry: str) -> bool:
            if entry in self.items:
                self.items.remove(entry)
                return True
            return False

    lib.enable(True)
    _record(lib)
    lib.conn.close()
    keyring = Keyring(lib.secrets.keys)
    report = wipe(tmp_path, keyring)
    assert "recordings" in keyring.asked and keyring.items == set()
    assert report.ok and "keyring items (2)" in report.wiped
    assert any("recordings" in part for part in report.wiped) and not tmp_path.exists()


def test_profile_start_purges_old_recordings_but_never_recovers(tmp_path, monkeypatch):
    import time

    from octasip.profile import Profile

    store = FakeSecrets()
    store.check = lambda: None  # type: ignore[attr-defined]
    with Profile.open(tmp_path, store) as profile:
        lib = RecordingLibrary(tmp_path, profile.conn, store, "test")
        lib.enable(True)
        old = _record(lib, started=time.time() - 40 * DAY)
        live = _record(lib, close=False, started=time.time() - 40 * DAY)  # another process may be recording it
    with Profile.open(tmp_path, store) as profile:
        lib = RecordingLibrary(tmp_path, profile.conn, store, "test")
        assert lib.repo.get(old) is None and not lib.path_for(old).exists()
        assert lib.repo.open_recordings() == [live] and lib.path_for(live).exists()
        assert [(e.recording_id, e.action.value, e.source) for e in lib.repo.access_log()] == \
            [(old, "purge", "retention")]


def test_recovery_leaves_a_running_process_recording_alone(lib):
    """Another process (the window, say) is still recording: `octasip recordings list` must not close it."""
    from octasip.storage.session_lock import SessionLock

    lib.enable(True)
    with SessionLock(lib.data_dir) as other:
        rid = lib.new_id()
        lib.begin(rid, None, 2, 16000, session=other.id)
        w = RecordingWriter(lib.path_for(rid), lib.secrets.keys[MASTER_KEY_NAME], rid, FMT)
        w.write(_pcm(1.2))
        assert lib.recover() == 0 and lib.get(rid).state is RecordingState.RECORDING
    os_close(w)  # that process died without sealing its file
    assert lib.recover() == 1 and lib.get(rid).state is RecordingState.TRUNCATED
