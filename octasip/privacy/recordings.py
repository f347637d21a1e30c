"""Call recordings on this machine: the opt-in, the files, play/export/delete with their access log,
retention, and recovery after a crash. The one place the GUI and the CLI go through. No Qt.

Files: <data dir>/recordings/<id>.octarec (privacy.recording_format: AES-256-GCM chunks, each
recording's own key wrapped by the master key, keyring item key:recordings). The engine writes them;
this module reads them, and only ever into memory: playing decrypts into memory, and the only
plaintext that reaches a disk is an export, to a place the user chose, behind the storage permission
(the GUI asks; the CLI requires it granted).
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets as _secrets
import time
import wave
from pathlib import Path
from typing import IO, Any

from octasip.core.consent import Permission
from octasip.core.recordings import (
    ALWAYS_RECORD_SETTING,
    ANNOUNCE_SETTING,
    DEFAULT_RECORDING_RETENTION,
    FILE_SUFFIX,
    MASTER_KEY_NAME,
    NOTICE_VERSION,
    RECORDING_RETENTION_DAYS,
    RETENTION_SETTING,
    AccessAction,
    RecordingInfo,
    RecordingState,
)
from octasip.privacy.export import ExportError, write_atomically
from octasip.privacy.recording_format import (
    AudioFormat,
    MasterKeyMissingError,
    ReadReport,
    RecordingError,
    audio_format,
    decrypt,
    is_sealed,
)
from octasip.storage.consent import ConsentLedger
from octasip.storage.db import transaction
from octasip.storage.recordings import RecordingRepository
from octasip.storage.settings import SettingsRepository

EXPORT_FORMATS = ("wav", "ogg")

CONSENT_NOTICE = """\
Recording a call can be against the law unless the people on it agree.

- In one-party consent places (most US states, the UK for personal use, ...) you may record a call
  you take part in, but not one between others.
- In two-party (all-party) consent places (California, Florida, Washington and other US states,
  Germany, and much of the EU) everyone on the call must agree before it is recorded. Some
  countries also require a recurring beep or that recordings are not shared.
- At work, your employer's rules and data-protection law (such as the GDPR) also apply.

OctaSIP plays a short tone into the call when recording starts, so that the other side knows
(you can turn it off, and should not unless you are sure you may). Recordings are encrypted on this
computer; each play, export and deletion is logged. You are responsible for having consent."""


class RecordingLibrary:
    def __init__(self, data_dir: Path, conn: Any, secrets: Any, source: str = "gui") -> None:
        """`secrets`: octasip.secrets.SecretStore (the master key)."""
        self.data_dir = Path(data_dir)
        self.conn = conn
        self.secrets = secrets
        self.source = source
        self.repo = RecordingRepository(conn)
        self.settings = SettingsRepository(conn)
        self.consent = ConsentLedger(conn)

    # ------------------------------------------------------------------ the opt-in and settings
    def enabled(self) -> bool:
        return self.consent.current(Permission.RECORDING) is True

    def enable(self, accepted_notice: bool, source: str | None = None) -> None:
        """Turn recording on; only with the consent notice accepted. Creates the master key first, so that
        turning it on with a broken keyring fails here, not in the middle of a call."""
        if not accepted_notice:
            raise RecordingError("recording can only be turned on after reading and accepting the consent notice")
        self.secrets.get_or_create_key(MASTER_KEY_NAME)
        with transaction(self.conn):
            self.consent.record(Permission.RECORDING, True, source or self.source, f"notice v{NOTICE_VERSION}")

    def disable(self, source: str | None = None) -> None:
        """Turn recording off (the app stops any recording in progress). Recordings already made are kept."""
        with transaction(self.conn):
            self.consent.record(Permission.RECORDING, False, source or self.source)
            self.settings.set(ALWAYS_RECORD_SETTING, False)

    def always_record(self) -> bool:
        return self.enabled() and bool(self.settings.get(ALWAYS_RECORD_SETTING, False))

    def set_always_record(self, on: bool) -> None:
        if on and not self.enabled():
            raise RecordingError("\"always record\" needs call recording turned on first (Settings > Privacy)")
        with transaction(self.conn):
            self.settings.set(ALWAYS_RECORD_SETTING, bool(on))
            self._ledger(f"always record {'on' if on else 'off'}")

    def announce(self) -> bool:
        return bool(self.settings.get(ANNOUNCE_SETTING, True))

    def set_announce(self, on: bool) -> None:
        with transaction(self.conn):
            self.settings.set(ANNOUNCE_SETTING, bool(on))
            self._ledger(f"announcement tone {'on' if on else 'off'}")

    def _ledger(self, detail: str) -> None:
        """Every change of the recording settings goes to the consent ledger too, as a "recording" entry
        that repeats the current opt-in (so the latest entry still says whether recording is on)."""
        self.consent.record(Permission.RECORDING, self.enabled(), self.source, detail)

    def retention(self) -> str:
        value = self.settings.get(RETENTION_SETTING, DEFAULT_RECORDING_RETENTION)
        return value if value in RECORDING_RETENTION_DAYS else DEFAULT_RECORDING_RETENTION

    def set_retention(self, choice: str, now: float | None = None) -> int:
        if choice not in RECORDING_RETENTION_DAYS:
            raise ValueError(f"recording retention must be one of {', '.join(RECORDING_RETENTION_DAYS)}")
        with transaction(self.conn):
            self.settings.set(RETENTION_SETTING, choice)
        return self.purge(now)

    # ------------------------------------------------------------------ files
    @property
    def recordings_dir(self) -> Path:
        d = self.data_dir / "recordings"
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        return d

    def path_for(self, recording_id: str) -> Path:
        if not (recording_id.isascii() and recording_id.isalnum()):
            raise RecordingError("not a recording id")
        return self.recordings_dir / f"{recording_id}{FILE_SUFFIX}"

    @staticmethod
    def new_id() -> str:
        return _secrets.token_hex(16)

    def _master(self) -> bytes:
        key = self.secrets.get_key(MASTER_KEY_NAME)
        if key is None:
            raise MasterKeyMissingError(
                "the recording master key is not in the keyring, so no recording can be opened (was the keyring "
                "reset or restored from elsewhere?). The recordings were left untouched.")
        return key

    # ------------------------------------------------------------------ the life of a recording
    def begin(self, recording_id: str, call_row: int | None, channels: int, rate: int,
              now: float | None = None, session: str | None = None) -> None:
        """`session`: the recording process's session lock id (the call journal's), so that `recover` never
        touches a recording another running process is still writing."""
        with transaction(self.conn):
            self.repo.start(recording_id, call_row, time.time() if now is None else now, channels, rate, session)

    def end(self, recording_id: str, seconds: float, error: str = "", now: float | None = None) -> RecordingState:
        """Complete the row from what the engine reported, checked against the file itself: complete only
        if the file ends with its sealed final chunk; otherwise truncated with the seconds that decrypt."""
        state, seconds, error = self._state_of_file(recording_id, seconds, error)
        with transaction(self.conn):
            self.repo.finish(recording_id, time.time() if now is None else now, seconds, state, error)
        return state

    def _state_of_file(self, recording_id: str, seconds: float, error: str) -> tuple[RecordingState, float, str]:
        path = self.path_for(recording_id)
        if not path.exists():
            return RecordingState.FAILED, 0.0, error or "no recording file was written"
        try:
            master = self.secrets.get_key(MASTER_KEY_NAME)
        except Exception:  # e.g. a locked keyring: the row must still be completed
            master = None
        try:
            # Without the master key the file cannot be checked now: go by what the engine said.
            sealed = master is None or is_sealed(path, master)
        except RecordingError as e:
            return RecordingState.FAILED, 0.0, error or str(e)
        if not sealed:  # cut short although the engine may not have said so: count what really decrypts
            try:
                seconds = min(seconds, self.verify(recording_id).seconds_recovered)
            except RecordingError as e:
                return RecordingState.FAILED, 0.0, error or str(e)
            error = error or "the recording file was not closed properly; what was written up to then plays"
        if not error:
            return RecordingState.COMPLETE, seconds, ""
        return (RecordingState.TRUNCATED if seconds > 0 else RecordingState.FAILED), seconds, error

    def recover(self, now: float | None = None) -> int:
        """Rows left "recording" by a process that died (its session lock is free, as for the call journal):
        check each file, mark it truncated (with what can be recovered) or failed. Recordings of running
        processes, this one included, are left alone."""
        from octasip.storage.session_lock import dead_sessions

        fixed = 0
        for rid in self.repo.open_recordings(dead_sessions(self.data_dir, self.repo.open_sessions())):
            path = self.path_for(rid)
            seconds, state, error = 0.0, RecordingState.FAILED, "OctaSIP stopped while recording"
            if path.exists():
                try:
                    report = self.verify(rid)
                    seconds = report.seconds_recovered
                    state = RecordingState.TRUNCATED if report.truncated or report.damaged else RecordingState.COMPLETE
                    if state is RecordingState.COMPLETE:  # sealed before the process died: nothing was lost
                        error = ""
                    elif seconds == 0:
                        state = RecordingState.FAILED
                except MasterKeyMissingError:
                    continue  # cannot tell yet; leave it for when the key is back
                except RecordingError as e:
                    error = f"OctaSIP stopped while recording; {e}"
            with transaction(self.conn):
                self.repo.finish(rid, time.time() if now is None else now, seconds, state, error)
            fixed += 1
        return fixed

    def get(self, recording_id: str) -> RecordingInfo:
        info = self.repo.get(recording_id)
        if info is None:
            raise RecordingError("no such recording (it may have been deleted)")
        path = self.path_for(recording_id)
        return dataclasses.replace(info, size=path.stat().st_size if path.exists() else 0)

    def verify(self, recording_id: str) -> ReadReport:
        """Decrypt every chunk (into nothing) and report: intact, or what is damaged and what is recoverable."""
        report = ReadReport()
        for _ in decrypt(self.path_for(recording_id), self._master(), report):
            pass
        return report

    def decode(self, recording_id: str, source: str | None = None) -> tuple[AudioFormat, bytes, ReadReport]:
        """The whole recording as PCM, in memory (for playing). Logged as a play."""
        path = self.path_for(recording_id)
        report = ReadReport()
        pcm = b"".join(decrypt(path, self._master(), report))
        fmt = audio_format(path)
        self._log(recording_id, AccessAction.PLAY, source)
        return fmt, pcm, report

    def export(self, recording_id: str, out: Path, fmt: str = "wav", mix: bool = False, overwrite: bool = False,
               source: str | None = None) -> Path:
        """Write a decrypted copy to `out` (WAV, or Opus in OGG). Atomic: a temporary file in the same folder,
        renamed when complete; never overwrites unless asked. Logged as an export (the format, not the path)."""
        if fmt not in EXPORT_FORMATS:
            raise RecordingError(f"export format must be one of {', '.join(EXPORT_FORMATS)}")
        out = Path(out)
        # Checked before decrypting anything. Messages name the file, never the folders of the user's home.
        if out.exists() and not overwrite:
            raise RecordingError(f"{out.name} already exists there; choose another name or replace it (--force)")
        if not out.parent.is_dir():
            raise RecordingError(f"the folder chosen for {out.name} does not exist")
        path = self.path_for(recording_id)
        report = ReadReport()
        pcm = b"".join(decrypt(path, self._master(), report))
        af = audio_format(path)
        channels = af.channels
        if mix and channels == 2:
            pcm, channels = _mix(pcm), 1
        try:
            with write_atomically(out, overwrite, binary=True) as f:
                if fmt == "wav":
                    with wave.open(f, "wb") as w:
                        w.setnchannels(channels)
                        w.setsampwidth(af.sample_width)
                        w.setframerate(af.rate)
                        w.writeframes(pcm)
                else:
                    _write_opus(f, pcm, af.rate, channels)
        except ExportError as e:  # its message names the folder; ours only the file
            why = getattr(e.__context__, "strerror", None)
            raise RecordingError(f"could not write {out.name}" + (f" ({why})" if why else "")
                                 + "; nothing was written there") from None
        detail = fmt + (" mixed" if mix else "") + ("" if report.intact else " (damaged: partial)")
        self._log(recording_id, AccessAction.EXPORT, source, detail)
        return out

    def delete(self, recording_id: str, source: str | None = None) -> None:
        """Delete the file, then the row; logged. A missing file is not an error."""
        if self.repo.get(recording_id) is None and not self.path_for(recording_id).exists():
            raise RecordingError("no such recording (it may have been deleted already)")
        with contextlib.suppress(FileNotFoundError):
            self.path_for(recording_id).unlink()
        with transaction(self.conn):
            self.repo.delete(recording_id)
            self.repo.log_access(recording_id, AccessAction.DELETE, source or self.source)

    def purge(self, now: float | None = None) -> int:
        """Delete the recordings older than the recording retention; each is logged (source "retention")."""
        days = RECORDING_RETENTION_DAYS[self.retention()]
        if days is None:
            return 0
        cutoff = (time.time() if now is None else now) - days * 86400
        gone = 0
        for rid in self.repo.older_than(cutoff):
            with contextlib.suppress(FileNotFoundError):
                self.path_for(rid).unlink()
            with transaction(self.conn):
                self.repo.delete(rid)
                self.repo.log_access(rid, AccessAction.PURGE, "retention", self.retention())
            gone += 1
        return gone

    def orphans(self) -> list[Path]:
        """Recording files the database does not know (never deleted silently: listed for the user)."""
        d = self.data_dir / "recordings"
        if not d.is_dir():
            return []
        known = self.repo.ids()
        return sorted(p for p in d.glob(f"*{FILE_SUFFIX}") if p.stem not in known)

    def _log(self, recording_id: str, action: AccessAction, source: str | None, detail: str = "") -> None:
        with transaction(self.conn):
            self.repo.log_access(recording_id, action, source or self.source, detail)


def _mix(stereo: bytes) -> bytes:
    """Stereo PCM16 -> mono (the mean of both channels), vectorised: an hour is 58 M samples."""
    import numpy as np

    s = np.frombuffer(stereo[:len(stereo) - len(stereo) % 4], dtype="<i2").reshape(-1, 2).astype(np.int32)
    return ((s[:, 0] + s[:, 1]) // 2).astype("<i2").tobytes()


def _write_opus(f: IO[bytes], pcm: bytes, rate: int, channels: int) -> None:
    try:
        import soundfile
    except (ImportError, OSError):  # OSError: the package is there, its libsndfile is not
        raise RecordingError("Opus/OGG export needs the soundfile package (libsndfile); export to WAV instead") \
            from None
    try:
        with soundfile.SoundFile(f, "w", samplerate=rate, channels=channels, format="OGG", subtype="OPUS") as sf:
            sf.buffer_write(pcm, dtype="int16")
    except (RuntimeError, ValueError, TypeError) as e:  # soundfile.LibsndfileError is a RuntimeError
        raise RecordingError(f"this system's libsndfile could not write Opus/OGG ({type(e).__name__}); "
                             "export to WAV instead") from None
