"""The History tab: newest first, filter, search, call back, delete one, clear all."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from octasip.core.history import HistoryFilter
from octasip.ui.history_model import HistoryModel, RecordRole


class HistoryView(QWidget):
    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAccessibleName(self.tr("Call history"))
        self.model = HistoryModel(controller.store, self)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Show"))
        for text, value in ((self.tr("All calls"), HistoryFilter.ALL), (self.tr("Missed"), HistoryFilter.MISSED),
                            (self.tr("Incoming"), HistoryFilter.INCOMING), (self.tr("Outgoing"),
                                                                            HistoryFilter.OUTGOING)):
            self.filter.addItem(text, value.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name or number (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search the history by name or number"))
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.filter)
        top.addWidget(self.search, 1)
        layout.addLayout(top)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Calls, newest first"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: lazy
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((28, 150, 210, 120, 60, 90)):
            self.table.setColumnWidth(column, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.doubleClicked.connect(lambda _i: self.call_back())
        layout.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName(self.tr("History status"))
        layout.addWidget(self.empty)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.message.setAccessibleName(self.tr("History message"))
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.call_button = QPushButton(self.tr("Call &back"))
        self.delete_button = QPushButton(self.tr("&Delete entry"))
        self.clear_button = QPushButton(self.tr("C&lear all…"))
        self.copy_button = QPushButton(self.tr("Co&py number"))
        for b, slot in ((self.call_button, self.call_back), (self.delete_button, self.delete_selected),
                        (self.copy_button, self.copy_number), (self.clear_button, self.clear_all)):
            b.setAccessibleName(b.text().replace("&", "").replace("…", ""))
            b.clicked.connect(slot)
            buttons.addWidget(b)
            action = QAction(b.accessibleName(), self.table)
            action.triggered.connect(slot)
            self.table.addAction(action)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, activated=self.delete_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self.call_back)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, activated=self.search.clear)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.timeout.connect(lambda: self.model.set_query(term=self.search.text()))
        self.search.textChanged.connect(lambda _t: self._debounce.start(150))
        self.filter.currentIndexChanged.connect(
            lambda _i: self.model.set_query(filter=HistoryFilter(self.filter.currentData())))
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(self.message.setText)
        self._started = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.controller.clear_missed()
        if not self._started:
            self._started = True
            self.model.reload()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_loaded(self, rows: int) -> None:
        self.message.setText("")
        if rows:
            self.empty.setText("")
        elif self.model.term or self.model.filter is not HistoryFilter.ALL:
            self.empty.setText(self.tr("No calls match."))
        else:
            self.empty.setText(self.tr("No calls yet."))

    def _selected(self):
        rows = self.table.selectionModel().selectedRows()
        return (rows[0].row(), rows[0].data(RecordRole)) if rows else (-1, None)

    def call_back(self) -> None:
        _row, rec = self._selected()
        if rec is not None:
            self.controller.dial(rec.remote_uri, parent=self)

    def copy_number(self) -> None:
        _row, rec = self._selected()
        if rec is not None:
            QGuiApplication.clipboard().setText(rec.remote_uri)

    def delete_selected(self) -> None:
        row, rec = self._selected()
        if rec is None:
            return
        self.model.remove_row(row)
        self.controller.store.run(lambda p: p.calls.delete(rec.id), None, self.message.setText)

    def clear_all(self) -> None:
        answer = QMessageBox.question(self, self.tr("Clear the call history?"),
                                      self.tr("Delete every call from the history? This cannot be undone."))
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.store.run(lambda p: p.calls.clear(), lambda _n: self.model.reload(), self.message.setText)
