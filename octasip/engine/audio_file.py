"""File audio backend: plays a WAV into each call and records what each call receives.

Uses PJSIP's own WAV player and recorder (created and destroyed on the engine thread).
The QtMultimedia backend and the AudioMediaPort bridge come with the audio issue.
"""

from __future__ import annotations

from pathlib import Path

import pjsua2 as pj


class FileAudio:
    def __init__(self, play_wav: Path | None, record_dir: Path | None, record_name: str = "received") -> None:
        self.play_wav = play_wav
        self.record_dir = record_dir
        self.record_name = record_name
        self._players: dict[int, pj.AudioMediaPlayer] = {}
        self._recorders: dict[int, pj.AudioMediaRecorder] = {}
        self._count = 0
        self.recorded: list[Path] = []

    def source_for(self, call_id: int) -> pj.AudioMedia | None:
        """The audio we send into this call (created on first use)."""
        if self.play_wav is None:
            return None
        player = self._players.get(call_id)
        if player is None:
            player = pj.AudioMediaPlayer()
            player.createPlayer(str(self.play_wav), 0)  # loop
            self._players[call_id] = player
        return player

    def attach(self, call_id: int, aud: pj.AudioMedia, muted: bool) -> None:
        src = self.source_for(call_id)
        if src is not None and not muted:
            src.startTransmit(aud)
        if self.record_dir is not None and call_id not in self._recorders:
            self._count += 1
            suffix = "" if self._count == 1 else f"-{self._count}"
            path = self.record_dir / f"{self.record_name}{suffix}.wav"
            rec = pj.AudioMediaRecorder()
            rec.createRecorder(str(path))
            self._recorders[call_id] = rec
            self.recorded.append(path)
        rec = self._recorders.get(call_id)
        if rec is not None:
            aud.startTransmit(rec)

    def set_muted(self, call_id: int, aud: pj.AudioMedia, muted: bool) -> None:
        src = self.source_for(call_id)
        if src is None:
            return
        if muted:
            src.stopTransmit(aud)
        else:
            src.startTransmit(aud)

    def local_source(self, call_id: int) -> pj.AudioMedia | None:
        return self._players.get(call_id)

    def detach(self, call_id: int) -> None:
        """Destroy this call's player and recorder (the recorder finalises its WAV header)."""
        self._players.pop(call_id, None)
        self._recorders.pop(call_id, None)

    def tick(self) -> None:
        pass

    def close(self) -> None:
        self._players.clear()
        self._recorders.clear()
