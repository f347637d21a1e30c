"""A lazy table model of the call history.

Rows come in pages of ``PAGE`` through the Store (never on the GUI thread), newest first, each page
continued from the id of the last row shown (``before=<id>``), so 100,000 calls are never loaded at
once. Every query carries the generation it was asked for: when the filter or the search term
changes, results of the older query are dropped (and a query that is already stale when the worker
reaches it is skipped). A new call (``store.history_changed``) refreshes only the head of the list,
so the scroll position and the selection stay where they are.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from octasip.core.events import CallDirection
from octasip.core.history import CallRecord, CallStatus, HistoryFilter, format_duration

PAGE = 100
SEARCH_DEBOUNCE_MS = 150
REFRESH_DELAY_MS = 300
COLUMNS = ("direction", "name", "address", "when", "duration", "status", "security", "recording")
COLUMN = {name: i for i, name in enumerate(COLUMNS)}
RecordRole = Qt.ItemDataRole.UserRole + 1  # the row's CallRecord
RecordingRole = Qt.ItemDataRole.UserRole + 2  # whatever ``recording_for(record)`` returns (issue 6 hook)

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY, _FOREGROUND, _FONT, _ALIGN, _TOOLTIP, _ACCESSIBLE = (
    int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.FontRole),
    int(Qt.ItemDataRole.TextAlignmentRole), int(Qt.ItemDataRole.ToolTipRole), int(Qt.ItemDataRole.AccessibleTextRole))
_ROLES = frozenset((_DISPLAY, _FOREGROUND, _FONT, _ALIGN, _TOOLTIP, _ACCESSIBLE, int(RecordRole), int(RecordingRole)))
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_SKIPPED = object()  # a query the worker did not run because a newer one replaced it


def when_text(started_at: float, now: float | None = None, yesterday: str = "Yesterday") -> str:
    """Local time: "14:05" today, "Yesterday 14:05", else the date and time."""
    now = time.time() if now is None else now
    t, today = time.localtime(started_at), time.localtime(now)
    if t[:3] == today[:3]:
        return time.strftime("%H:%M", t)
    y = time.localtime(time.mktime((today.tm_year, today.tm_mon, today.tm_mday - 1, 12, 0, 0, 0, 0, -1)))
    if t[:3] == y[:3]:
        return f"{yesterday} {time.strftime('%H:%M', t)}"
    return time.strftime("%Y-%m-%d %H:%M", t)


def alert_colour() -> QColor:
    """A red that reads on the current (light or dark) palette."""
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return QColor("#ef9a9a") if window.lightness() < 128 else QColor("#c62828")


class HistoryModel(QAbstractTableModel):
    """``loaded(rows)`` after every page or refresh; ``failed(message)`` when the Store reports an error."""

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows: list[CallRecord] = []
        self.filter = HistoryFilter.ALL
        self.term = ""
        self.recording_for: Callable[[CallRecord], object] | None = None  # set by the recordings feature
        self.exhausted = False
        self.started = False
        self._texts: dict[int, tuple[CallRecord, tuple[str, ...]]] = {}  # display texts, made once per record
        self._alert = alert_colour()
        self._bold = QFont()
        self._bold.setBold(True)
        self._generation = 0
        self._page_pending = False
        self._pending_term = ""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_term)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh_head)
        store.history_changed.connect(self._refresh_timer.start)
        self._opens = 0
        self._failed = False
        opened = getattr(store, "opened", None)
        if opened is not None:
            opened.connect(self._on_opened)

    def _on_opened(self, _info=None) -> None:
        """The profile (re)opened: after a wipe, a recovery choice or an earlier failure, start over."""
        self._opens += 1
        if self.started and (self._opens > 1 or self._failed):
            self.reload()

    # ------------------------------------------------------------------ queries
    def start(self) -> None:
        """Load the first page (once; the view calls this when it is first shown)."""
        if not self.started:
            self.started = True
            self.reload()

    def set_filter(self, filter: HistoryFilter) -> None:
        self.filter = HistoryFilter(filter)
        self.reload()

    def set_term(self, term: str, immediately: bool = False) -> None:
        """A new search term; the query follows ``SEARCH_DEBOUNCE_MS`` after the last keystroke."""
        self._pending_term = term
        if immediately:
            self._debounce.stop()
            self._apply_term()
        else:
            self._debounce.start()

    def _apply_term(self) -> None:
        if self._pending_term != self.term:
            self.term = self._pending_term
            self.reload()

    @property
    def query_pending(self) -> bool:
        """A search is waiting for its debounce, or the first page of a query has not arrived yet."""
        return self._debounce.isActive() or (self._page_pending and not self.rows)

    def reload(self) -> None:
        """Drop every row and ask for the first page of the current query."""
        self._generation += 1
        self._failed = False
        self._refresh_timer.stop()
        self.beginResetModel()
        self.rows = []
        self._texts = {}
        self.exhausted = False
        self._page_pending = False
        self.endResetModel()
        if self.started:
            self._request_page()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.started and not parent.isValid() and not self.exhausted and not self._page_pending

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request_page()

    def _query(self, before: int | None) -> Callable:
        generation, term, flt = self._generation, self.term, self.filter

        def query(profile):
            if generation != self._generation:  # superseded while it waited in the queue
                return _SKIPPED
            return profile.calls.search(term, PAGE, flt, before=before)

        return query

    def _request_page(self) -> None:
        self._page_pending = True
        generation = self._generation
        before = self.rows[-1].id if self.rows else None

        def done(records) -> None:
            if generation != self._generation:
                return  # a newer query replaced this one
            self._page_pending = False
            if records is _SKIPPED or before != (self.rows[-1].id if self.rows else None):
                return  # the list changed under this page; the view asks again
            self.exhausted = len(records) < PAGE
            if records:
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(records) - 1)
                self.rows.extend(records)
                self.endInsertRows()
            self.loaded.emit(len(self.rows))

        self.store.run(self._query(before), done, self._failed_for(generation))

    def _failed_for(self, generation: int) -> Callable[[str], None]:
        def failed(message: str) -> None:
            if generation == self._generation:
                self._failed = True
                self._page_pending = False
                self.exhausted = True  # no retry loop; the next query or refresh tries again
                self.failed.emit(message)

        return failed

    def refresh_head(self) -> None:
        """Re-read the newest page and merge it in place (new calls on top, changed rows updated)."""
        if not self.started:
            return
        generation = self._generation

        def done(records) -> None:
            if generation == self._generation and records is not _SKIPPED:
                self._merge_head(records)
                self.loaded.emit(len(self.rows))

        self.store.run(self._query(None), done, self.failed.emit)

    def _merge_head(self, head: list[CallRecord]) -> None:
        if len(head) < PAGE:
            boundary = None  # the whole result is the whole list
            self.exhausted = True
        else:
            boundary = head[-1].id
            if not self.rows or self.rows[0].id < boundary:  # a page or more of new calls: start over
                self.reload()
                return
        new_ids = {r.id for r in head}
        # Remove rows of the head that are gone (deleted elsewhere, or no longer match).
        row = 0
        while row < len(self.rows) and (boundary is None or self.rows[row].id >= boundary):
            if self.rows[row].id in new_ids:
                row += 1
                continue
            end = row
            while (end + 1 < len(self.rows) and (boundary is None or self.rows[end + 1].id >= boundary)
                   and self.rows[end + 1].id not in new_ids):
                end += 1
            self.beginRemoveRows(QModelIndex(), row, end)
            del self.rows[row:end + 1]
            self.endRemoveRows()
        # Insert the new ones where they belong (both lists are newest first) and update the rest.
        for i, record in enumerate(head):
            if i < len(self.rows) and self.rows[i].id == record.id:
                if self.rows[i] != record:
                    self.rows[i] = record
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                continue
            self.beginInsertRows(QModelIndex(), i, i)
            self.rows.insert(i, record)
            self.endInsertRows()

    # ------------------------------------------------------------------ rows
    def record(self, row: int) -> CallRecord | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def delete(self, row: int) -> None:
        """Delete one call: gone from the list at once; put back with a message if the Store fails."""
        record = self.record(row)
        if record is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()
        generation = self._generation

        def failed(message: str) -> None:
            if generation == self._generation:
                keys = [-r.id for r in self.rows]
                at = bisect.bisect_left(keys, -record.id)
                self.beginInsertRows(QModelIndex(), at, at)
                self.rows.insert(at, record)
                self.endInsertRows()
            self.failed.emit(message)

        self.store.run(lambda p: p.calls.delete(record.id), None, failed)

    def clear_all(self) -> None:
        """Delete every finished call (a call in progress keeps its row until it ends)."""
        self.store.run(lambda p: p.calls.clear(), lambda _n: self.reload(), self.failed.emit)

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        titles = (self.tr("Direction"), self.tr("Name"), self.tr("Number or address"), self.tr("When"),
                  self.tr("Duration"), self.tr("Status"), self.tr("Security"), self.tr("Recording"))
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section == COLUMN["direction"] else titles[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return titles[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        # Called for every role of every visible cell on each repaint: answer the common case quickly.
        if role not in _ROLES:
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self.rows) and 0 <= col < len(COLUMNS)):
            return None
        r = self.rows[row]
        if role == _DISPLAY:
            cached = self._texts.get(r.id)
            if cached is None or cached[0] is not r:
                cached = (r, tuple(self.text(r, c) for c in COLUMNS))
                self._texts[r.id] = cached
            return cached[1][col]
        if role == _FOREGROUND:
            return self._alert if r.missed else None
        if role == _FONT:
            return self._bold if r.missed else None
        if role == _ALIGN:
            return _CENTRE if col in (0, 4) else None
        if role == RecordRole:
            return r
        if role == RecordingRole:
            return self.recording_for(r) if self.recording_for else None
        column = COLUMNS[col]
        if role == _TOOLTIP:
            if column == "direction":
                return self._direction_words(r)
            if column == "security" and r.answered_at:
                return r.srtp_suite or self.tr("The media of this call was not encrypted")
            if column == "address":
                return r.remote_uri
            return None
        return self.accessible_text(r) if column == "direction" else self.text(r, column)  # accessible text

    def set_recording_lookup(self, lookup: Callable[[CallRecord], object] | None) -> None:
        """Hook for the recordings feature: ``lookup(record)`` is the text of the Recording column (call it
        again when recordings change)."""
        self.recording_for = lookup
        self._texts = {}
        if self.rows:
            column = COLUMN["recording"]
            self.dataChanged.emit(self.index(0, column), self.index(len(self.rows) - 1, column))

    def palette_changed(self) -> None:
        """The theme changed: missed calls get the red that reads on the new palette."""
        self._alert = alert_colour()
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.ForegroundRole])

    def accessible_text(self, r: CallRecord) -> str:
        parts = [self._direction_words(r), self.text(r, "name"), self.text(r, "when"), self.text(r, "status")]
        return ", ".join(p for p in parts if p)

    def _direction_words(self, r: CallRecord) -> str:
        if r.missed:
            return self.tr("Missed call")
        return self.tr("Incoming call") if r.direction is CallDirection.INCOMING else self.tr("Outgoing call")

    def text(self, r: CallRecord, column: str) -> str:
        if column == "direction":
            arrow = "↙" if r.direction is CallDirection.INCOMING else "↗"
            return arrow + ("✕" if r.missed else "")
        if column == "name":
            return r.remote_name or _address(r.remote_uri)
        if column == "address":
            return _address(r.remote_uri)
        if column == "when":
            return when_text(r.started_at, yesterday=self.tr("Yesterday"))
        if column == "duration":
            return format_duration(r.duration) if r.answered_at else ""
        if column == "status":
            return self._status_text(r.status)
        if column == "security":  # only a call that was answered had media to protect
            if not r.answered_at or r.status is CallStatus.ACTIVE:  # known only once the call has ended
                return ""
            return r.srtp_suite or self.tr("Not encrypted")
        if column == "recording":
            value = self.recording_for(r) if self.recording_for else None
            return str(value) if value else ""
        return ""

    def _status_text(self, status: CallStatus) -> str:
        return {CallStatus.ANSWERED: self.tr("Answered"), CallStatus.MISSED: self.tr("Missed"),
                CallStatus.DECLINED: self.tr("Declined"), CallStatus.FAILED: self.tr("Failed"),
                CallStatus.CANCELLED: self.tr("Cancelled"), CallStatus.INTERRUPTED: self.tr("Interrupted"),
                CallStatus.ACTIVE: self.tr("In progress")}[status]


def _address(uri: str) -> str:
    """The number or user@host of a SIP URI, without the scheme and parameters."""
    rest = uri.strip().strip("<>")
    if ":" in rest.split("@", 1)[0]:
        rest = rest.split(":", 1)[1]
    return rest.split(";", 1)[0].split("?", 1)[0] or uri
