"""The History tab with a real Store on an encrypted profile (real Secret Service): lazy pages, filters,
search, delete, clear, call back; no query on the GUI thread."""

from __future__ import annotations

import time

import pytest

from octasip.core.events import CallDirection
from octasip.core.history import CallStatus
from octasip.profile import Profile

pytestmark = pytest.mark.real


class Controller:
    def __init__(self, store) -> None:
        self.store = store
        self.dialled: list[str] = []
        self.cleared = 0

    def dial(self, target, parent=None, **_kw):
        self.dialled.append(target)

    def clear_missed(self) -> None:
        self.cleared += 1


def _fill(home, n: int) -> None:
    from tests.test_history import _add

    with Profile.open(home) as profile:
        from octasip.storage.db import transaction

        with transaction(profile.conn):
            now = time.time()
            for i in range(n):
                missed = i % 10 == 3
                _add(profile.calls, f"sip:+1555{i:07d}@example.com", "Zoë Ångström" if i == 7 else f"Person {i}",
                     at=now - i * 60, direction=CallDirection.INCOMING if i % 2 else CallDirection.OUTGOING,
                     status=CallStatus.MISSED if missed else CallStatus.ANSWERED)


@pytest.fixture
def view(qtbot, octasip_home, secret_service):
    from octasip.ui.history_view import HistoryView
    from octasip.ui.store import Store

    _fill(octasip_home, 1000)
    store = Store(octasip_home)
    store.start()
    v = HistoryView(Controller(store))
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    qtbot.waitUntil(lambda: v.model.rowCount() == 100, timeout=5000)
    yield v
    store.stop()


def test_first_page_newest_first_and_more_on_scroll(qtbot, view) -> None:
    m = view.model
    assert m.record(0).remote_uri == "sip:+15550000000@example.com"
    assert view.controller.cleared == 1  # showing the tab clears the missed badge
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: m.rowCount() >= 200, timeout=5000)
    assert m.rowCount() < 1000, "never everything at once"
    ids = [r.id for r in m.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)


def test_filter_search_delete_clear_and_call_back(qtbot, view, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    m = view.model
    view.filter.setCurrentIndex(1)  # missed
    qtbot.waitUntil(lambda: m.rowCount() == 100 and all(r.missed for r in m.rows), timeout=5000)
    view.filter.setCurrentIndex(0)
    qtbot.keyClicks(view.search, "ångst")
    qtbot.waitUntil(lambda: m.rowCount() == 1, timeout=5000)
    assert m.record(0).remote_name == "Zoë Ångström"
    view.table.selectRow(0)
    view.call_back()
    assert view.controller.dialled == ["sip:+15550000007@example.com"]
    view.delete_selected()
    assert m.rowCount() == 0
    view.search.clear()
    qtbot.waitUntil(lambda: m.rowCount() == 100, timeout=5000)
    view.search.setText("ångst")
    qtbot.waitUntil(lambda: m.rowCount() == 0 and "No calls match" in view.empty.text(), timeout=5000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.search.clear()
    view.clear_all()
    qtbot.waitUntil(lambda: m.rowCount() == 0 and view.empty.text() == "No calls yet.", timeout=5000)
