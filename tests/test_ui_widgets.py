"""Widget tests with a fake engine bridge (pytest-qt, offscreen): the controller, main window, call view,
incoming-call window, permission dialogs, first run, single instance, and accessible names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QHeaderView, QLineEdit, QWidget

from octasip.core import commands as cmd
from octasip.core.consent import Permission
from octasip.core.events import (
    CallChanged,
    CallDirection,
    CallEnded,
    CallMedia,
    CallQuality,
    CallQualityUpdated,
    CallState,
    IncomingCall,
    RegistrationChanged,
    RegState,
    TransportError,
)
from octasip.core.models import AccountConfig


class FakeBridge(QObject):
    event = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.sent: list = []
        self.n = 0
        self.ready = True

    def submit(self, c) -> None:
        self.sent.append(c)

    def new_call_id(self) -> int:
        self.n += 1
        return self.n


class FakeStore(QObject):
    history_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.jobs: list = []
        self.journal = None
        self.events: list = []

    def run(self, fn, done=None, failed=None) -> None:
        self.jobs.append(fn)

    def engine_event(self, ev) -> None:
        self.events.append(ev)


@pytest.fixture
def ctl(qtbot):
    from octasip.ui.controller import AccountStatus, AppController

    c = AppController(FakeBridge(), FakeStore())
    acc = AccountConfig(uri="sip:alice@example.com", id=1)
    c.accounts[1] = AccountStatus(acc, "registered")
    c.permissions = {"microphone": True}
    return c


def _changed(call_id: int, state: CallState, srtp: str | None = "AES_CM_128_HMAC_SHA1_80", transport: str = "tls",
             hold: bool = False) -> CallChanged:
    return CallChanged(call_id, 1, CallDirection.OUTGOING, state, "sip:bob@example.com", "Bob", transport=transport,
                       media=CallMedia("PCMU", srtp, True, local_hold=hold))


def _ended(call_id: int, answered: bool = True, code: int = 200, direction=CallDirection.OUTGOING) -> CallEnded:
    return CallEnded(call_id, 1, direction, "sip:bob@example.com", "Bob", code, "", (), answered, 1.0, None, "tls",
                     CallMedia(), CallQuality())


def test_dial_asks_for_the_microphone_once_and_records_it(qtbot, ctl) -> None:
    ctl.permissions = {}
    asked = []
    ctl.ask_permission = lambda p, parent: asked.append(p) or False
    call_id = ctl.dial("bob")
    ctl.dial("carol")
    assert asked == [Permission.MICROPHONE]
    assert ctl.calls[call_id].receive_only
    sent = ctl.bridge.sent
    assert cmd.SetMicrophoneAllowed(False) in sent
    assert any(isinstance(c, cmd.MakeCall) and c.target == "bob" for c in sent)
    assert len(ctl.store.jobs) == 1  # the decision goes to the consent ledger


def test_no_account_gives_a_clear_message(qtbot, ctl) -> None:
    ctl.accounts.clear()
    with qtbot.waitSignal(ctl.message) as msg:
        assert ctl.dial("bob") is None
    assert "Add an account" in msg.args[0]


def test_main_window_shows_registration_with_the_reason(qtbot, ctl) -> None:
    from octasip.ui.main_window import MainWindow

    w = MainWindow(ctl)
    qtbot.addWidget(w)
    ctl.bridge.event.emit(TransportError(1, "TLS: server certificate not trusted (self-signed)"))
    ctl.bridge.event.emit(RegistrationChanged(1, RegState.FAILED, 503, "Service Unavailable"))
    assert "Failed" in w.accounts_label.text() and "not trusted" in w.accounts_label.text()
    ctl.bridge.event.emit(RegistrationChanged(1, RegState.REGISTERED, 200, "OK"))
    assert "Registered" in w.accounts_label.text() and "trusted" not in w.accounts_label.text()


def test_main_window_dials_and_shows_the_call_view(qtbot, ctl) -> None:
    from octasip.ui.main_window import MainWindow

    w = MainWindow(ctl)
    qtbot.addWidget(w)
    qtbot.keyClicks(w.dial_entry, "+1 555 0100")
    qtbot.keyClick(w.dial_entry, Qt.Key.Key_Return)
    (make,) = [c for c in ctl.bridge.sent if isinstance(c, cmd.MakeCall)]
    assert make.target == "+1 555 0100" and w.dial_entry.text() == ""
    ctl.bridge.event.emit(_changed(make.call_id, CallState.CONFIRMED))
    view = w.call_views[make.call_id]
    assert "SRTP AES_CM_128_HMAC_SHA1_80" in view.security.text() and "TLS" in view.security.text()
    ctl.bridge.event.emit(CallQualityUpdated(make.call_id, CallQuality(rtt_ms=700.0, jitter_ms=5.0, loss_pct=0.0)))
    assert "Poor" in view.quality.text() and "700.0" in view.quality.toolTip()
    view.buttons["hold"].click()
    assert cmd.Hold(make.call_id) in ctl.bridge.sent
    ctl.bridge.event.emit(_ended(make.call_id))
    assert not w.call_views and not w.calls_tabs.isVisible()


def test_unencrypted_media_is_a_clear_warning(qtbot, ctl) -> None:
    from octasip.ui.call_view import CallView

    call_id = ctl.dial("bob")
    ctl.bridge.event.emit(_changed(call_id, CallState.CONFIRMED, srtp=None, transport="udp"))
    view = CallView(ctl, call_id)
    qtbot.addWidget(view)
    assert "NOT encrypted" in view.security.text()


def test_incoming_window_is_non_modal_and_answering_holds_the_active_call(qtbot, ctl) -> None:
    from octasip.ui.incoming import IncomingCallWindow

    first = ctl.dial("bob")
    ctl.bridge.event.emit(_changed(first, CallState.CONFIRMED))
    ctl.bridge.event.emit(IncomingCall(9, 1, "sip:carol@example.com", "Carol", waiting=True))
    w = IncomingCallWindow(ctl, 9, waiting=True)
    qtbot.addWidget(w)
    assert not w.isModal() and "Carol" in w.windowTitle()
    w.answer.click()
    assert cmd.Hold(first) in ctl.bridge.sent and cmd.Answer(9) in ctl.bridge.sent


def test_busy_and_missed_badge(qtbot, ctl) -> None:
    ctl.bridge.event.emit(IncomingCall(5, 1, "sip:carol@example.com", "Carol", waiting=False))
    ctl.decline(5, busy=True)
    assert cmd.Reject(5, True) in ctl.bridge.sent
    with qtbot.waitSignal(ctl.missed_count) as sig:
        ctl.bridge.event.emit(IncomingCall(6, 1, "sip:dan@example.com", "Dan", waiting=False))
        ctl.bridge.event.emit(_ended(6, answered=False, code=487, direction=CallDirection.INCOMING))
    assert sig.args == [1]


def test_revoking_the_microphone_makes_calls_receive_only_at_once(qtbot, ctl) -> None:
    call_id = ctl.dial("bob")
    ctl.record_permission(Permission.MICROPHONE, False)
    assert ctl.calls[call_id].receive_only and ctl.bridge.sent[-1] == cmd.SetMicrophoneAllowed(False)


def test_permission_dialog_explains_and_offers_both_answers(qtbot) -> None:
    from octasip.ui.permissions import PermissionDialog

    for p in (Permission.MICROPHONE, Permission.CONTACTS, Permission.STORAGE):
        d = PermissionDialog(p)
        qtbot.addWidget(d)
        assert d.allow.text() == "Allow" and d.deny.text() == "Don't allow"
        assert len(d.findChildren(type(d.allow))) == 2


def test_first_run_notice_has_version_and_date(qtbot) -> None:
    from PySide6.QtWidgets import QTextBrowser

    from octasip.ui.first_run import NOTICE_DATE, NOTICE_VERSION, FirstRunDialog

    d = FirstRunDialog()
    qtbot.addWidget(d)
    text = d.findChild(QTextBrowser).toPlainText()
    assert f"version {NOTICE_VERSION}, {NOTICE_DATE}" in text and "encrypted" in text
    d.echo.click()
    assert d.choice == "echo"


def test_single_instance_hands_the_uri_over(qtbot, tmp_path) -> None:
    from octasip.ui.single_instance import InstanceServer, hand_over, server_name

    name = server_name(tmp_path)
    assert not hand_over(name, "sip:nobody@example.com", 200)
    server = InstanceServer(name)
    with qtbot.waitSignal(server.received, timeout=3000) as got:
        assert hand_over(name, "tel:+15551234")
    assert got.args == ["tel:+15551234"]
    qtbot.wait(100)
    server.server.close()
    server.deleteLater()
    qtbot.wait(50)


def _unnamed_controls(root: QWidget) -> list[str]:
    bad = []
    for w in root.findChildren(QWidget):
        internal = isinstance(w, QHeaderView) or w.objectName().startswith("qt_")  # parts of a table
        if isinstance(w, QAbstractButton | QLineEdit | QComboBox | QAbstractItemView) and w.isVisibleTo(root) \
                and not internal:
            name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
            if not name.strip():
                bad.append(f"{type(w).__name__} {w.objectName()}")
    return bad


def test_every_control_has_an_accessible_name(qtbot, ctl) -> None:
    from octasip.ui.call_view import CallView
    from octasip.ui.first_run import FirstRunDialog
    from octasip.ui.incoming import IncomingCallWindow
    from octasip.ui.main_window import MainWindow

    call_id = ctl.dial("bob")
    ctl.bridge.event.emit(_changed(call_id, CallState.CONFIRMED))
    ctl.bridge.event.emit(IncomingCall(9, 1, "sip:carol@example.com", "Carol", waiting=True))
    main = MainWindow(ctl)
    widgets = [main, CallView(ctl, call_id), IncomingCallWindow(ctl, 9, True), FirstRunDialog()]
    for w in widgets:
        qtbot.addWidget(w)
        w.show()
        assert _unnamed_controls(w) == [], type(w).__name__
