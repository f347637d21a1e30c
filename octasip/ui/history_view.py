"""The History tab: newest first, filtered (all, missed, incoming, outgoing), searched by name or number;
call back, copy the number, delete one entry, clear all. Rows come from the lazy HistoryModel; nothing
here touches the database (deletes go through the Store)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from octasip.core.history import CallRecord, HistoryFilter
from octasip.ui.history_model import COLUMN, HistoryModel, alert_colour

ROW_HEIGHT = 26


class HistoryView(QWidget):
    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAccessibleName(self.tr("Call history"))
        self.model = HistoryModel(controller.store, self)
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        show = QLabel(self.tr("Sho&w:"))
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Show calls"))
        show.setBuddy(self.filter)
        for text, value in ((self.tr("All calls"), HistoryFilter.ALL), (self.tr("Missed"), HistoryFilter.MISSED),
                            (self.tr("Incoming"), HistoryFilter.INCOMING),
                            (self.tr("Outgoing"), HistoryFilter.OUTGOING)):
            self.filter.addItem(text, value.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name or number (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search the history by name or number"))
        self.search.setClearButtonEnabled(True)
        top.addWidget(show)
        top.addWidget(self.filter)
        top.addWidget(self.search, 1)
        layout.addLayout(top)

        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Calls, newest first"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: nothing measures every row
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in (("direction", 36), ("name", 170), ("address", 190), ("when", 130),
                              ("duration", 64), ("status", 90), ("security", 170)):
            self.table.setColumnWidth(COLUMN[column], width)
        self.table.setColumnHidden(COLUMN["recording"], True)  # shown by show_recordings()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda _i: self.call_back())
        layout.addWidget(self.table, 1)

        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName(self.tr("History status"))
        layout.addWidget(self.empty)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("History message"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.call_button = QPushButton(self.tr("Call &back"))
        self.copy_button = QPushButton(self.tr("Co&py number"))
        self.delete_button = QPushButton(self.tr("&Delete entry"))
        self.clear_button = QPushButton(self.tr("C&lear all…"))
        for button, name, slot in (
                (self.call_button, self.tr("Call back"), self.call_back),
                (self.copy_button, self.tr("Copy number"), self.copy_number),
                (self.delete_button, self.tr("Delete entry"), self.delete_selected),
                (self.clear_button, self.tr("Clear all history"), self.clear_all)):
            button.setAccessibleName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.insertStretch(3)
        layout.addLayout(buttons)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_search)
        for keys, widget, slot in ((Qt.Key.Key_Delete, self.table, self.delete_selected),
                                   (Qt.Key.Key_Return, self.table, self.call_back),
                                   (Qt.Key.Key_Enter, self.table, self.call_back),
                                   (Qt.Key.Key_Escape, self.search, self._escape_search)):
            # Only while that widget has the focus: Del in the search field edits text, Return in the
            # dial entry dials; neither may touch the history.
            QShortcut(QKeySequence(keys), widget, activated=slot, context=Qt.ShortcutContext.WidgetShortcut)
        self.search.installEventFilter(self)

        self.search.textChanged.connect(self.model.set_term)
        self.filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(HistoryFilter(self.filter.currentData())))
        self.model.loaded.connect(self._update_state)
        self.model.modelReset.connect(self._update_state)
        self.model.modelReset.connect(self.clear_message)
        self.model.rowsRemoved.connect(self._update_state)
        self.model.failed.connect(self.show_message)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self._update_buttons()

    # ------------------------------------------------------------------ showing
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.controller.clear_missed()  # the user is looking at the history now
        self.model.start()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.ThemeChange, QEvent.Type.StyleChange):
            self._style_message()
            self.model.palette_changed()

    def _style_message(self) -> None:
        self.message.setStyleSheet(f"color: {alert_colour().name()};")

    def show_message(self, text: str) -> None:
        """A failure, inline and non-modal (the Store's messages are one line, never a traceback)."""
        self._style_message()
        self.message.setText(self.tr("Something went wrong with the history: {reason}").format(reason=text))
        self.message.show()

    def clear_message(self) -> None:
        self.message.clear()
        self.message.hide()

    def show_recordings(self, lookup) -> None:
        """Hook for the recordings feature: ``lookup(record)`` gives the text of its Recording column."""
        self.model.set_recording_lookup(lookup)
        self.table.setColumnHidden(COLUMN["recording"], False)

    def _update_state(self, *_args) -> None:
        m = self.model
        if m.rowCount():
            self.empty.clear()
        elif m.query_pending or not m.started:
            self.empty.setText(self.tr("Loading…"))
        elif m.term.strip():
            self.empty.setText(self.tr("No calls match “{term}”.").format(term=m.term.strip()))
        elif m.filter is not HistoryFilter.ALL:
            self.empty.setText({HistoryFilter.MISSED: self.tr("No missed calls."),
                                HistoryFilter.INCOMING: self.tr("No incoming calls."),
                                HistoryFilter.OUTGOING: self.tr("No outgoing calls.")}[m.filter])
        else:
            self.empty.setText(self.tr("No calls yet."))
        self.empty.setVisible(bool(self.empty.text()))
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        has = self.selected() is not None
        for button in (self.call_button, self.copy_button, self.delete_button):
            button.setEnabled(has)
        self.clear_button.setEnabled(self.model.rowCount() > 0 or self.model.filter is not HistoryFilter.ALL
                                     or bool(self.model.term))

    # ------------------------------------------------------------------ keyboard
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _escape_search(self) -> None:
        if self.search.text():
            self.search.clear()
        else:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down (or Return) in the search field moves to the list, its first row selected.
        if (watched is self.search and event.type() == QEvent.Type.KeyPress and self.model.rowCount()
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if self.selected() is None:
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ actions
    def _selected_index(self) -> QModelIndex:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0]
        current = self.table.currentIndex()
        return current if current.isValid() else QModelIndex()

    def selected(self) -> CallRecord | None:
        index = self._selected_index()
        return self.model.record(index.row()) if index.isValid() else None

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("History entry actions"))
        for text, slot, enabled in ((self.tr("Call back"), self.call_back, index.isValid()),
                                    (self.tr("Copy number"), self.copy_number, index.isValid()),
                                    (self.tr("Delete entry"), self.delete_selected, index.isValid()),
                                    (self.tr("Clear all history…"), self.clear_all, True)):
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def call_back(self) -> None:
        record = self.selected()
        if record is not None:
            self.controller.dial(record.remote_uri, parent=self)

    def copy_number(self) -> None:
        record = self.selected()
        if record is not None:
            QGuiApplication.clipboard().setText(self.model.text(record, "address"))

    def delete_selected(self) -> None:
        index = self._selected_index()
        if not index.isValid():
            return
        row = index.row()
        self.clear_message()
        self.model.delete(row)
        if self.model.rowCount():  # keep a selection, so Del can go on
            self.table.selectRow(min(row, self.model.rowCount() - 1))

    def clear_all(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Clear the call history?"),
            self.tr("Delete every call from the history? This cannot be undone."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.clear_message()
            self.model.clear_all()
