"""Call commands and call callbacks, run on the engine thread (a part of Runtime)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pjsua2 as pj

from octasip.core import commands as cmd
from octasip.core.events import (
    CallChanged,
    CallDirection,
    CallEnded,
    CallMedia,
    CallQuality,
    CallState,
    IncomingCall,
    RecordingStopped,
    TransferProgress,
    TransferRequested,
)
from octasip.core.models import AccountConfigError, DtmfMode, SrtpPolicy, dial_target
from octasip.engine.call import EngineCall, bare_uri, display_name
from octasip.engine.errors import pj_error_text
from octasip.privacy.recording_format import RecordingError

log = logging.getLogger("octasip.engine")

if TYPE_CHECKING:
    from octasip.engine.account import EngineAccount


class CallOps:
    """Mixin for Runtime: everything about calls. `self` is the Runtime."""

    def _call(self, call_id: int) -> EngineCall:
        call = self.calls.get(call_id)
        if call is None or call.ended:
            raise AccountConfigError(f"no such call: {call_id}")
        return call

    def do_MakeCall(self, c: cmd.MakeCall) -> None:
        acc = self._account(c.account_id)
        target = dial_target(c.target, acc.cfg)
        call = EngineCall(self, acc, c.call_id, CallDirection.OUTGOING)
        call.remote_uri = target
        self.calls[c.call_id] = call
        prm = pj.CallOpParam(True)
        prm.opt.audioCount = 1
        prm.opt.videoCount = 0
        try:
            call.makeCall(target, prm)
        except pj.Error:
            self.calls.pop(c.call_id, None)
            self.dead.append(call)
            raise
        self.call_changed(call)

    def _call_failed(self, c: cmd.MakeCall, text: str) -> None:
        self.emit(CallEnded(c.call_id, c.account_id, CallDirection.OUTGOING, c.target, "", 0, text,
                            ("calling", "disconnected"), False, 0.0, None, "", CallMedia(), CallQuality()))

    def do_Answer(self, c: cmd.Answer) -> None:
        call = self._call(c.call_id)
        prm = pj.CallOpParam(True)
        prm.statusCode = 200
        call.answer(prm)

    def do_Reject(self, c: cmd.Reject) -> None:
        call = self._call(c.call_id)
        prm = pj.CallOpParam(True)
        prm.statusCode = 486 if c.busy else 603
        call.hangup(prm)

    def do_Hangup(self, c: cmd.Hangup) -> None:
        call = self._call(c.call_id)
        call.hangup(pj.CallOpParam(True))

    def do_HangupAll(self, c: cmd.HangupAll) -> None:
        assert self.ep is not None
        self.ep.hangupAllCalls()

    def do_Hold(self, c: cmd.Hold) -> None:
        call = self._call(c.call_id)
        self._while_busy(c, lambda: call.setHold(pj.CallOpParam(True)))

    def do_Resume(self, c: cmd.Resume) -> None:
        call = self._call(c.call_id)

        def resume() -> None:
            prm = pj.CallOpParam(True)
            prm.opt.flag = pj.PJSUA_CALL_UNHOLD
            call.reinvite(prm)

        self._while_busy(c, resume)

    def _while_busy(self, command: cmd.Command, op: Callable[[], None]) -> None:
        """Run a re-INVITE now, or retry while another offer/answer is still in progress (up to 5 s)."""
        try:
            op()
        except pj.Error as e:
            if "EINVALIDOP" not in str(getattr(e, "reason", e)) and "PENDING" not in str(getattr(e, "reason", e)):
                raise
            self.retries.append((time.monotonic() + 0.2, time.monotonic() + 5.0, command, op))

    def do_SetMute(self, c: cmd.SetMute) -> None:
        call = self._call(c.call_id)
        call.muted = c.muted
        if call.audio_slot is not None:
            self.audio.set_muted(call.app_id, call.audio_slot, c.muted)
            self.recorder.wire(call.app_id, call.audio_slot, self._sources(call))  # muted: silence recorded
        self.call_changed(call)

    # ---- recording (opt-in; the app checks the consent ledger before it sends StartRecording)
    def _sources(self, call: EngineCall) -> list[pj.AudioMedia]:
        src = None if call.muted else self.audio.local_source(call.app_id)
        return [src] if src is not None else []

    def do_StartRecording(self, c: cmd.StartRecording) -> None:
        call = self.calls.get(c.call_id)
        if call is None or call.ended or call.state is not CallState.CONFIRMED:
            self.emit(RecordingStopped(c.call_id, c.recording_id, 0.0, "only a call in progress can be recorded"))
            return
        try:
            self.recorder.start(c.call_id, c.recording_id, Path(c.path), c.announce, c.channels, call.audio_slot,
                                self._sources(call) if call.audio_slot is not None else [])
        except Exception as e:  # always answered with RecordingStopped: the app must not wait for it
            if isinstance(e, pj.Error):
                text = pj_error_text(e)
            elif isinstance(e, RecordingError | OSError):
                text = str(e)
            else:
                log.exception("StartRecording failed")
                text = f"internal error ({type(e).__name__})"
            self.emit(RecordingStopped(c.call_id, c.recording_id, 0.0, f"the recording could not start: {text}"))

    def do_StopRecording(self, c: cmd.StopRecording) -> None:
        self.recorder.stop(c.call_id)

    def do_SendDtmf(self, c: cmd.SendDtmf) -> None:
        call = self._call(c.call_id)
        digits = "".join(ch for ch in c.digits.upper() if ch in "0123456789*#ABCD")
        if not digits:
            raise AccountConfigError("no valid DTMF digits (0-9, *, #, A-D)")
        prm = pj.CallSendDtmfParam()
        prm.digits = digits
        prm.duration = 160
        prm.method = (pj.PJSUA_DTMF_METHOD_SIP_INFO if call.account.cfg.dtmf_mode is DtmfMode.SIP_INFO
                      else pj.PJSUA_DTMF_METHOD_RFC2833)
        call.sendDtmf(prm)

    def do_BlindTransfer(self, c: cmd.BlindTransfer) -> None:
        call = self._call(c.call_id)
        target = dial_target(c.target, call.account.cfg)
        call.transfer_target = target
        call.xfer(target, pj.CallOpParam(True))

    def do_AttendedTransfer(self, c: cmd.AttendedTransfer) -> None:
        call = self._call(c.call_id)
        other = self._call(c.to_call_id)
        call.transfer_target = other.remote_uri
        call.consultation = other.app_id
        call.xferReplaces(other, pj.CallOpParam(True))

    def do_Conference(self, c: cmd.Conference) -> None:
        calls = [self._call(i) for i in c.call_ids]
        if len(calls) < 2:
            raise AccountConfigError("a conference needs at least two calls")
        for call in calls:
            if call.media.local_hold:
                self.do_Resume(cmd.Resume(call.app_id))
        self.conference = tuple(c.call_ids)
        self._wire_conference()

    def do_SplitConference(self, c: cmd.SplitConference) -> None:
        members = [self.calls[i] for i in self.conference if i in self.calls]
        for a in members:
            for b in members:
                if a is not b and a.audio_slot is not None and b.audio_slot is not None:
                    a.audio_slot.stopTransmit(b.audio_slot)
        self.conference = ()

    def _wire_conference(self) -> None:
        members = [self.calls[i] for i in self.conference if i in self.calls]
        for a in members:
            for b in members:
                if a is not b and a.audio_slot is not None and b.audio_slot is not None:
                    a.audio_slot.startTransmit(b.audio_slot)


    def new_internal_call_id(self) -> int:
        return next(self._call_ids)

    def reject_incoming(self, acc: EngineAccount, pj_call_id: int, code: int, reason: str) -> None:
        call = EngineCall(self, acc, self.new_internal_call_id(), CallDirection.INCOMING, pj_call_id)
        call.silent = True
        self.calls[call.app_id] = call
        prm = pj.CallOpParam(True)
        prm.statusCode = code
        prm.reason = reason
        call.hangup(prm)

    def incoming_call(self, acc: EngineAccount, pj_call_id: int, prm: pj.OnIncomingCallParam) -> None:
        call = EngineCall(self, acc, self.new_internal_call_id(), CallDirection.INCOMING, pj_call_id)
        self.calls[call.app_id] = call
        ci = call.getInfo()
        call.remote_uri = bare_uri(str(ci.remoteUri))
        call.remote_name = display_name(str(ci.remoteUri))
        waiting = any(c is not call and c.state not in (CallState.DISCONNECTED,) and not c.silent
                      for c in self.calls.values())
        ring = pj.CallOpParam(True)
        ring.statusCode = 180
        call.answer(ring)
        self.emit(IncomingCall(call.app_id, acc.cfg.id, call.remote_uri, call.remote_name, waiting))
        self.call_changed(call)

    def call_changed(self, call: EngineCall) -> None:
        if call.silent:
            if call.state is CallState.DISCONNECTED and not call.ended:
                call.ended = True
                self.calls.pop(call.app_id, None)
                self.dead.append(call)
            return
        self.emit(self._snapshot(call))
        if call.state is CallState.DISCONNECTED and not call.ended:
            call.ended = True
            call.audio_slot = None
            self.recorder.stop(call.app_id)  # its taps let go of the call's audio before it goes
            self.audio.detach(call.app_id)
            if call.app_id in self.conference:
                self.conference = tuple(i for i in self.conference if i != call.app_id)
            reason = call.reason
            if call.account.cfg.srtp_policy is SrtpPolicy.MANDATORY and call.media.srtp_suite is None and (
                    call.media_error or call.code in (406, 488) or "media" in reason.lower()):
                detail = f"{call.code} {reason}" if call.code >= 300 else reason
                reason = f"media encryption required (SRTP mandatory) but the other side offered none ({detail})"
            self.emit(CallEnded(
                call.app_id, call.account.cfg.id, call.direction, call.remote_uri, call.remote_name, call.code,
                reason, tuple(call.states), call.answered_at is not None, round(call.duration(), 3),
                None if call.setup_ms is None else round(call.setup_ms, 2), call.account.cfg.transport.value,
                call.media, call.quality))
            self.calls.pop(call.app_id, None)
            self.dead.append(call)

    def _snapshot(self, call: EngineCall) -> CallChanged:
        return CallChanged(call.app_id, call.account.cfg.id, call.direction, call.state, call.remote_uri,
                           call.remote_name, call.code, call.reason, call.account.cfg.transport.value, call.media,
                           round(call.duration(), 3), call.muted)

    def call_media_changed(self, call: EngineCall) -> None:
        if call.silent:
            return
        idx = -1
        ci = call.getInfo()
        medias = ci.media
        for m in medias:
            if m.type == pj.PJMEDIA_TYPE_AUDIO and m.status in (pj.PJSUA_CALL_MEDIA_ACTIVE,
                                                               pj.PJSUA_CALL_MEDIA_REMOTE_HOLD):
                idx = int(m.index)
                break
        if idx >= 0:
            aud = call.getAudioMedia(idx)
            call.audio_slot = aud
            self.audio.attach(call.app_id, aud, call.muted)
            self.recorder.wire(call.app_id, aud, self._sources(call))
            if call.app_id in self.conference:
                self._wire_conference()
        elif call.audio_slot is not None:  # on hold (or media gone): this call no longer needs audio
            call.audio_slot = None
            self.recorder.wire(call.app_id, None, [])  # records silence until the call resumes
            self.audio.detach(call.app_id)
        self.emit(self._snapshot(call))

    def transfer_requested(self, call: EngineCall, prm: pj.OnCallTransferRequestParam) -> None:
        new = EngineCall(self, call.account, self.new_internal_call_id(), CallDirection.OUTGOING)
        new.remote_uri = str(prm.dstUri)
        self.calls[new.app_id] = new
        prm.newCall = new
        self.emit(TransferRequested(call.app_id, str(prm.dstUri)))

    def transfer_status(self, call: EngineCall, code: int, reason: str, final: bool) -> None:
        self.emit(TransferProgress(call.app_id, code, reason, final))
        if not (final and 200 <= code < 300):
            return
        # Transferred: our leg ends. After an attended transfer the consultation call ends too, even when
        # the target does not honour Replaces (RFC 5589 leaves that to it; users expect both gone).
        done = [call]
        consult = self.calls.get(call.consultation) if call.consultation is not None else None
        if consult is not None:
            done.append(consult)
        for leg in done:
            if leg.state is not CallState.DISCONNECTED:
                leg.hangup(pj.CallOpParam(True))

    def call_replaced(self, call: EngineCall, prm: pj.OnCallReplacedParam) -> None:
        if prm.newCall is None:
            new = EngineCall(self, call.account, self.new_internal_call_id(), CallDirection.INCOMING,
                             int(prm.newCallId))
            self.calls[new.app_id] = new
            prm.newCall = new
