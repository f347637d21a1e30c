"""A lazy table model of the call history: pages of 100, fetched through the Store (never on the GUI
thread), continued from the last row's id. Results of a superseded query are dropped."""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal

from octasip.core.history import CallRecord, CallStatus, HistoryFilter

PAGE = 100
COLUMNS = ("direction", "name", "address", "when", "duration", "status", "security")
RecordRole = Qt.ItemDataRole.UserRole + 1


def when_text(started_at: float, now: float | None = None) -> str:
    now = time.time() if now is None else now
    t, today = time.localtime(started_at), time.localtime(now)
    if t[:3] == today[:3]:
        return time.strftime("%H:%M", t)
    if time.localtime(now - 86400)[:3] == t[:3]:
        return "Yesterday " + time.strftime("%H:%M", t)
    return time.strftime("%Y-%m-%d %H:%M", t)


def duration_text(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class HistoryModel(QAbstractTableModel):
    loaded = Signal(int)  # rows now shown (after each page)
    failed = Signal(str)

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows: list[CallRecord] = []
        self.filter = HistoryFilter.ALL
        self.term = ""
        self._generation = 0
        self._loading = False
        self._exhausted = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.timeout.connect(self.reload)
        store.history_changed.connect(lambda: self._reload_timer.start(300))

    # ------------------------------------------------------------------ queries
    def set_query(self, term: str | None = None, filter: HistoryFilter | None = None) -> None:
        if term is not None:
            self.term = term
        if filter is not None:
            self.filter = HistoryFilter(filter)
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self.rows = []
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._request()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request()

    def _request(self) -> None:
        if self._loading or self._exhausted:
            return
        self._loading = True
        generation, term, flt = self._generation, self.term, self.filter
        before = self.rows[-1].id if self.rows else None

        def query(profile):
            return profile.calls.search(term, PAGE, flt, before=before)

        def done(records: list[CallRecord]) -> None:
            if generation != self._generation:
                return  # a newer query replaced this one
            self._loading = False
            self._exhausted = len(records) < PAGE
            if records:
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(records) - 1)
                self.rows.extend(records)
                self.endInsertRows()
            self.loaded.emit(len(self.rows))

        def failed(message: str) -> None:
            if generation == self._generation:
                self._loading = False
                self._exhausted = True
                self.failed.emit(message)

        self.store.run(query, done, failed)

    def record(self, row: int) -> CallRecord | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr(""), self.tr("Name"), self.tr("Number or address"), self.tr("When"), self.tr("Duration"),
                self.tr("Status"), self.tr("Security"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        r = self.record(index.row())
        if r is None:
            return None
        if role == RecordRole:
            return r
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "security":
            return r.srtp_suite or self.tr("The media of this call was not encrypted")
        if role == Qt.ItemDataRole.ForegroundRole and r.missed:
            from PySide6.QtGui import QColor

            return QColor("#c62828")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._text(r, 'direction')} {self._text(r, 'name')} {self._text(r, 'when')} " \
                   f"{self._text(r, 'status')}"
        return None

    def _text(self, r: CallRecord, column: str) -> str:
        if column == "direction":
            return "↙" if r.direction.value == "incoming" else "↗"
        if column == "name":
            return r.remote_name or _user(r.remote_uri)
        if column == "address":
            return r.remote_uri
        if column == "when":
            return when_text(r.started_at)
        if column == "duration":
            return duration_text(r.duration) if r.answered_at else ""
        if column == "status":
            return {CallStatus.ANSWERED: self.tr("Answered"), CallStatus.MISSED: self.tr("Missed"),
                    CallStatus.DECLINED: self.tr("Declined"), CallStatus.FAILED: self.tr("Failed"),
                    CallStatus.CANCELLED: self.tr("Cancelled"), CallStatus.INTERRUPTED: self.tr("Interrupted"),
                    CallStatus.ACTIVE: self.tr("In progress")}[r.status]
        if column == "security":
            return self.tr("Encrypted") if r.srtp_suite else (self.tr("Not encrypted") if r.answered_at else "")
        return ""


def _user(uri: str) -> str:
    addr = uri.split(":", 1)[-1].split(";", 1)[0]
    return addr.split("@", 1)[0] or addr
