"""The History tab with a real Store on an encrypted profile (real Secret Service): lazy pages, filters,
search, stale results, delete, clear, call back, keyboard, refresh on new calls, failures shown inline.
A few unit tests of the model's bookkeeping use a Store whose answers the test hands out itself."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QMessageBox

from octasip.core.events import CallDirection
from octasip.core.history import CallRecord, CallStatus, HistoryFilter
from octasip.profile import Profile
from octasip.storage.db import transaction

SUITE = "AES_CM_128_HMAC_SHA1_80"
N = 1000
NOW = time.time()
pytestmark = pytest.mark.real  # most tests run a real Store on a profile keyed from a real Secret Service


class Controller:
    """What the view needs of AppController: the store, dial and the missed badge."""

    def __init__(self, store) -> None:
        self.store = store
        self.dialled: list[str] = []
        self.cleared = 0

    def dial(self, target, parent=None, **_kw):
        self.dialled.append(target)
        return 1

    def clear_missed(self) -> None:
        self.cleared += 1


def _uri(i: int) -> str:
    return f"sip:+1555{i:07d}@example.com"


def _call(calls, i: int, at: float) -> int:
    """Call i: missed if i % 10 == 3; incoming if i is odd; SRTP if i % 4 == 0; i == 7 is Zoë Ångström."""
    missed = i % 10 == 3
    direction = CallDirection.INCOMING if i % 2 or missed else CallDirection.OUTGOING
    row = calls.start(direction=direction, remote_uri=_uri(i), remote_name="Zoë Ångström" if i == 7 else
                      f"Person {i}", account_id=1, session="s", started_at=at)
    if not missed:
        calls.answered(row, at + 2)
    calls.finish(row, status=CallStatus.MISSED if missed else CallStatus.ANSWERED, code=487 if missed else 200,
                 reason="", duration=0 if missed else 65, ended_at=at + 67,
                 srtp_suite=SUITE if i % 4 == 0 and not missed else None)
    return row


def _fill(home, n: int) -> None:
    with Profile.open(home) as profile, transaction(profile.conn):
        for i in range(n):
            _call(profile.calls, i, NOW - 3600 - i * 60)  # call 0 is the newest


@pytest.fixture
def store(octasip_home):
    from octasip.ui.store import Store

    _fill(octasip_home, N)
    s = Store(octasip_home)
    s.start()
    yield s
    s.stop()


@pytest.fixture
def view(qtbot, store):
    from octasip.ui.history_view import HistoryView

    v = HistoryView(Controller(store))
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    qtbot.waitUntil(lambda: v.model.rowCount() == 100, timeout=10000)
    return v


def _run(qtbot, store, fn):
    """Run fn(profile) on the Store's worker and wait for its result."""
    box: list = []
    store.run(fn, box.append, lambda m: box.append(RuntimeError(m)))
    qtbot.waitUntil(lambda: bool(box), timeout=10000)
    return box[0]


def _activate(qtbot, v) -> None:
    v.activateWindow()
    qtbot.waitUntil(lambda: v.isActiveWindow(), timeout=5000)


# ---------------------------------------------------------------- loading
def test_first_page_newest_first_and_more_only_on_scroll(qtbot, view) -> None:
    m = view.model
    assert m.record(0).remote_uri == _uri(0)
    assert view.controller.cleared == 1, "showing the tab clears the missed badge"
    qtbot.wait(300)
    assert m.rowCount() == 100, "no page without scrolling"
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: m.rowCount() >= 200, timeout=5000)
    assert m.rowCount() < N, "never everything at once"
    ids = [r.id for r in m.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    assert [r.remote_uri for r in m.rows[:200]] == [_uri(i) for i in range(200)]


def test_columns_show_name_number_time_duration_status_and_security(view) -> None:
    from octasip.ui.history_model import COLUMN, RecordRole

    m = view.model

    def text(row: int, column: str) -> str:
        return m.index(row, COLUMN[column]).data()

    assert text(0, "name") == "Person 0" and text(0, "address") == "+15550000000@example.com"
    assert text(0, "direction") == "↗" and text(1, "direction") == "↙" and text(3, "direction") == "↙✕"
    assert text(0, "duration") == "1:05" and text(3, "duration") == ""
    assert text(0, "security") == SUITE and text(1, "security") == "Not encrypted"
    assert text(3, "status") == "Missed" and m.index(3, COLUMN["status"]).data(Qt.ItemDataRole.ForegroundRole)
    assert m.index(3, 0).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Missed call, Person 3")
    assert isinstance(m.index(5, 0).data(RecordRole), CallRecord)
    assert m.index(0, COLUMN["when"]).data() == time.strftime("%H:%M", time.localtime(NOW - 3600)) or \
        m.index(0, COLUMN["when"]).data().startswith(("Yesterday", "20"))  # 1 h ago may be yesterday
    assert view.table.isColumnHidden(COLUMN["recording"])
    view.show_recordings(lambda r: "rec" if r.id == m.rows[0].id else "")
    assert not view.table.isColumnHidden(COLUMN["recording"]) and text(0, "recording") == "rec"


def test_when_and_duration_texts() -> None:
    from octasip.core.history import format_duration
    from octasip.ui.history_model import when_text

    noon = time.mktime((2026, 3, 10, 12, 0, 0, 0, 0, -1))
    assert when_text(noon - 3600, now=noon) == "11:00"
    assert when_text(noon - 86400, now=noon) == "Yesterday 12:00"
    assert when_text(noon - 3 * 86400, now=noon) == "2026-03-07 12:00"
    after_dst = time.mktime((2026, 3, 30, 0, 30, 0, 0, 0, -1))  # just after midnight, a day after a DST change
    assert when_text(after_dst - 3600, now=after_dst).startswith("Yesterday")
    assert format_duration(65) == "1:05" and format_duration(3725) == "1:02:05"


def test_every_control_has_an_accessible_name(view) -> None:
    controls = [w for w in view.findChildren(QAbstractButton) + view.findChildren(QComboBox)
                + view.findChildren(QLineEdit) + view.findChildren(QAbstractItemView)
                if w.isVisibleTo(view) and w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert len(controls) >= 7
    assert all(w.accessibleName() for w in controls), [type(w).__name__ for w in controls if not w.accessibleName()]


# ---------------------------------------------------------------- filters and search
@pytest.mark.parametrize(("index", "flt", "check"), [
    (1, HistoryFilter.MISSED, lambda r: r.missed),
    (2, HistoryFilter.INCOMING, lambda r: r.direction is CallDirection.INCOMING),
    (3, HistoryFilter.OUTGOING, lambda r: r.direction is CallDirection.OUTGOING),
])
def test_filters(qtbot, view, index, flt, check) -> None:
    m = view.model
    view.filter.setCurrentIndex(index)
    assert m.filter is flt
    qtbot.waitUntil(lambda: m.rowCount() == 100 and all(check(r) for r in m.rows), timeout=5000)
    view.filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: m.rowCount() == 100 and not all(check(r) for r in m.rows), timeout=5000)


def test_search_by_name_and_number_debounced(qtbot, view) -> None:
    m = view.model
    qtbot.keyClicks(view.search, "ångst")
    assert m.rowCount() == 100, "nothing is asked while the user types"
    qtbot.waitUntil(lambda: m.rowCount() == 1, timeout=5000)
    assert m.record(0).remote_name == "Zoë Ångström"
    view.search.setText("+1 555 000 0012")  # typed the way people write numbers
    qtbot.waitUntil(lambda: m.rowCount() == 1 and m.record(0).remote_uri == _uri(12), timeout=5000)
    view.search.setText("nobody at all")
    qtbot.waitUntil(lambda: m.rowCount() == 0 and view.empty.text() == "No calls match “nobody at all”.",
                    timeout=5000)
    view.search.clear()
    view.filter.setCurrentIndex(1)
    view.search.setText("Person 1")  # missed calls of Person 1x, 1xx
    qtbot.waitUntil(lambda: m.rowCount() > 0 and not m.query_pending, timeout=5000)
    assert all(r.missed and "Person 1" in r.remote_name for r in m.rows)


def test_stale_results_of_an_older_query_are_dropped(qtbot, view) -> None:
    m = view.model
    loads: list[int] = []
    m.loaded.connect(loads.append)
    m.set_term("Person 2", immediately=True)
    m.set_term("Zoë", immediately=True)  # before the first answer arrives
    qtbot.waitUntil(lambda: m.rowCount() == 1, timeout=5000)
    qtbot.wait(200)
    assert [r.remote_name for r in m.rows] == ["Zoë Ångström"]
    assert loads == [1], "the answer to 'Person 2' never reached the model"


# ---------------------------------------------------------------- the model's bookkeeping, answers by hand
class HandStore(QObject):
    history_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.jobs: list = []

    def run(self, fn, done=None, failed=None) -> None:
        self.jobs.append((fn, done, failed))


class Calls:
    def __init__(self, records) -> None:
        self.records = records
        self.asked: list = []

    def search(self, term, limit, flt, before=None):
        self.asked.append((term, flt, before))
        rows = [r for r in self.records if before is None or r.id < before]
        return rows[:limit]


class FakeProfile:
    def __init__(self, records) -> None:
        self.calls = Calls(records)


def _rec(i: int) -> CallRecord:
    return CallRecord(id=i, account_id=1, direction=CallDirection.OUTGOING, remote_uri=_uri(i), remote_name="",
                      started_at=i, answered_at=None, ended_at=i + 1, duration=0, status=CallStatus.FAILED,
                      missed=False, code=487, reason="", transport="tls", codec="", srtp_suite=None,
                      jitter_ms=None, loss_pct=None, rtt_ms=None)


def _answer(store: HandStore, profile: FakeProfile) -> None:
    jobs, store.jobs = store.jobs, []
    for fn, done, _failed in jobs:
        result = fn(profile)
        if done:
            done(result)


def test_pages_continue_by_id_and_a_superseded_query_is_skipped(qtbot) -> None:
    from octasip.ui.history_model import HistoryModel

    store, profile = HandStore(), FakeProfile([_rec(i) for i in range(1000, 0, -1)])
    m = HistoryModel(store)
    m.start()
    _answer(store, profile)
    assert m.rowCount() == 100 and m.canFetchMore()
    m.fetchMore()
    assert not m.canFetchMore(), "one page at a time"
    _answer(store, profile)
    assert profile.calls.asked[-1][2] == 901 and m.rowCount() == 200
    m.fetchMore()
    m.set_term("x", immediately=True)  # the page asked for above is now stale
    m.set_term("y", immediately=True)
    _answer(store, profile)
    assert [a[0] for a in profile.calls.asked[2:]] == ["y"], "stale queries are not even run"
    assert m.rowCount() == 100 and m.term == "y"


def test_a_call_without_name_shows_its_address_and_no_security(qtbot) -> None:
    from octasip.ui.history_model import HistoryModel

    m = HistoryModel(HandStore())
    record = _rec(5)  # failed, never answered, no name
    assert m.text(record, "name") == "+15550000005@example.com" and m.text(record, "security") == ""
    assert m.text(record, "status") == "Failed" and m.text(record, "duration") == ""


def test_new_calls_refresh_the_head_and_keep_the_rest(qtbot) -> None:
    from octasip.ui.history_model import HistoryModel

    records = [_rec(i) for i in range(1000, 0, -1)]
    store, profile = HandStore(), FakeProfile(records)
    m = HistoryModel(store)
    m.start()
    _answer(store, profile)
    m.fetchMore()
    _answer(store, profile)
    kept = m.index(150, 0)
    from PySide6.QtCore import QPersistentModelIndex

    persistent = QPersistentModelIndex(kept)
    profile.calls.records = [_rec(1002), _rec(1001)] + [r for r in records if r.id != 995]  # 2 new, 1 deleted
    m.refresh_head()
    _answer(store, profile)
    assert [r.id for r in m.rows[:8]] == [1002, 1001, 1000, 999, 998, 997, 996, 994]
    assert m.rowCount() == 201 and persistent.row() == 151, "rows below the head stay, the selection follows"
    ids = [r.id for r in m.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)


# ---------------------------------------------------------------- actions
def test_call_back_copy_delete_and_clear_all(qtbot, view, store, monkeypatch) -> None:
    from PySide6.QtGui import QGuiApplication

    m = view.model
    view.table.selectRow(7)
    view.call_back()
    assert view.controller.dialled == [_uri(7)]
    view.copy_number()
    assert QGuiApplication.clipboard().text() == "+15550000007@example.com"
    deleted = m.record(7).id
    view.delete_selected()
    assert m.rowCount() == 99 and deleted not in {r.id for r in m.rows}
    assert m.record(7).remote_uri == _uri(8) and view.selected().remote_uri == _uri(8), "the next row is selected"
    assert _run(qtbot, store, lambda p: p.calls.get(deleted)) is None

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    view.clear_all()
    qtbot.wait(100)
    assert m.rowCount() == 99
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.clear_all()
    qtbot.waitUntil(lambda: m.rowCount() == 0 and view.empty.text() == "No calls yet.", timeout=5000)
    assert _run(qtbot, store, lambda p: p.calls.count()) == 0
    assert not view.call_button.isEnabled() and not view.delete_button.isEnabled()


def test_keyboard_alone(qtbot, view) -> None:
    m = view.model
    _activate(qtbot, view)
    view.table.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "Zo")
    qtbot.waitUntil(lambda: m.rowCount() == 1, timeout=5000)
    qtbot.keyClick(view.search, Qt.Key.Key_Delete)  # edits the text, never the history
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus() and view.selected().remote_name == "Zoë Ångström"
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.controller.dialled == [_uri(7)]
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: m.rowCount() == 0, timeout=5000)
    view.search.setFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    qtbot.waitUntil(lambda: m.rowCount() == 100, timeout=5000)
    assert all(r.remote_name != "Zoë Ångström" for r in m.rows)
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)  # empty: Esc moves on to the list
    assert view.table.hasFocus()


def test_a_new_call_appears_on_top_without_losing_the_place(qtbot, view, store) -> None:
    m = view.model
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: m.rowCount() >= 200, timeout=5000)
    view.table.selectRow(150)
    chosen = view.selected().id
    _run(qtbot, store, lambda p: _call(p.calls, 5001, time.time()))
    store.history_changed.emit()
    qtbot.waitUntil(lambda: m.record(0).remote_uri == _uri(5001), timeout=5000)
    assert view.selected().id == chosen and m.rowCount() >= 201


def test_a_failure_is_shown_inline_and_nothing_is_lost(qtbot, view, store) -> None:
    m = view.model
    view.table.selectRow(0)
    first = m.record(0).id
    store.close_profile()  # from now on every job fails with a clear message
    view.delete_selected()
    qtbot.waitUntil(lambda: view.message.isVisible(), timeout=5000)
    assert "your local data is not open" in view.message.text() and "Traceback" not in view.message.text()
    assert m.record(0).id == first, "the row is back"
    assert isinstance(QMessageBox, type)  # nothing modal was opened
    assert not any(isinstance(w, QMessageBox) for w in view.findChildren(QMessageBox))


def test_the_list_starts_over_when_the_profile_reopens(qtbot, view, store) -> None:
    m = view.model
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: m.rowCount() >= 200, timeout=5000)
    _run(qtbot, store, lambda p: p.calls.clear())
    store.reopen()  # as after a wipe or a database choice
    qtbot.waitUntil(lambda: m.rowCount() == 0 and view.empty.text() == "No calls yet.", timeout=5000)
