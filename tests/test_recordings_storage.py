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

from octasip.core.recordings import MASTER_KEY_NAME, RecordingState
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
