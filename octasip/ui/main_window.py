"""The main window: account status, the dial entry and pad, the calls in progress, history and contacts."""

from __future__ import annotations

import html
import importlib

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from octasip.core.events import CallState
from octasip.ui import icons

_STATE_LABELS = {"registered": "Registered", "registering": "Registering…", "failed": "Failed",
                 "retrying": "Retrying", "unregistered": "Not registered", "disabled": "Disabled"}
_STATE_COLOURS = {"registered": "#2e7d32", "failed": "#c62828", "retrying": "#ef6c00"}


class MainWindow(QMainWindow):
    settings_requested = Signal()
    about_requested = Signal()
    quit_requested = Signal()

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.quitting = False
        self.close_to_tray = True
        self.call_views: dict[int, QWidget] = {}
        self.setWindowTitle("OctaSIP")
        self.setAccessibleName(self.tr("OctaSIP main window"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Sections"))
        self.setCentralWidget(self.tabs)
        self.phone = self._build_phone()
        self.tabs.addTab(self.phone, self.tr("&Phone"))
        # History and Contacts are built when first shown: the first paint does not wait for them.
        self._lazy = {1: ("octasip.ui.history_view", "HistoryView", "history"),
                      2: ("octasip.ui.contacts_view", "ContactsView", "contacts"),
                      3: ("octasip.ui.recordings_view", "RecordingsView", "recordings")}
        self.history: QWidget = QWidget()
        self.contacts: QWidget = QWidget()
        self.recordings: QWidget = QWidget()
        self.recording_index = None  # built with the History tab: its Recording column
        self.tabs.addTab(self.history, self.tr("&History"))
        self.tabs.addTab(self.contacts, self.tr("C&ontacts"))
        self.tabs.addTab(self.recordings, self.tr("Recordin&gs"))
        self.tabs.currentChanged.connect(self._build_tab)
        self._build_menu()
        self._build_shortcuts()
        self.statusBar().setAccessibleName(self.tr("Messages"))
        controller.accounts_changed.connect(self._refresh_accounts)
        controller.call_updated.connect(self._on_call_updated)
        controller.call_removed.connect(self._on_call_removed)
        controller.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        controller.missed_count.connect(self._on_missed)
        self._refresh_accounts()
        self.resize(440, 640)

    # ------------------------------------------------------------------ building
    def _build_phone(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.accounts_label = QLabel()
        self.accounts_label.setWordWrap(True)
        self.accounts_label.setAccessibleName(self.tr("Account status"))
        self.accounts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.accounts_label)
        self.dial_entry = QLineEdit()
        self.dial_entry.setPlaceholderText(self.tr("Number or SIP address"))
        self.dial_entry.setAccessibleName(self.tr("Number or SIP address to call"))
        self.dial_entry.setClearButtonEnabled(True)
        self.dial_entry.returnPressed.connect(self.dial)
        self.suggestions = QStringListModel(self)
        completer = QCompleter(self.suggestions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.dial_entry.setCompleter(completer)
        font = self.dial_entry.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.dial_entry.setFont(font)
        layout.addWidget(self.dial_entry)
        self.dialer = QWidget()
        dialer = QVBoxLayout(self.dialer)
        dialer.setContentsMargins(0, 0, 0, 0)
        pad = QGridLayout()
        for i, key in enumerate("123456789*0#"):
            b = QPushButton(key)
            b.setAccessibleName(self.tr("Dial pad {key}").format(key=key))
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.setMinimumHeight(44)
            b.clicked.connect(lambda _=False, k=key: self._pad(k))
            pad.addWidget(b, i // 3, i % 3)
        dialer.addLayout(pad)
        row = QHBoxLayout()
        self.incognito = QCheckBox(self.tr("&Incognito (no history entry)"))
        self.incognito.setAccessibleName(self.tr("Incognito call: leave no history entry"))
        self.call_button = QPushButton(self.tr("&Call"))
        self.call_button.setAccessibleName(self.tr("Call"))
        self.call_button.setMinimumHeight(44)
        self.call_button.setStyleSheet("background: #2e7d32; color: white; font-weight: 600;")
        self.call_button.clicked.connect(self.dial)
        self.call_button.setIcon(icons.icon("call"))
        row.addWidget(self.incognito)
        row.addWidget(self.call_button, 1)
        dialer.addLayout(row)
        layout.addWidget(self.dialer)
        self.new_call = QPushButton(self.tr("&New call…"))
        self.new_call.setAccessibleName(self.tr("Show the dial pad for another call"))
        self.new_call.setCheckable(True)
        self.new_call.toggled.connect(self.dialer.setVisible)
        self.new_call.setVisible(False)
        layout.addWidget(self.new_call)
        self.calls_tabs = QTabWidget()
        self.calls_tabs.setAccessibleName(self.tr("Calls in progress"))
        self.calls_tabs.setVisible(False)
        layout.addWidget(self.calls_tabs, 1)
        layout.addStretch(0)
        return page

    def _build_tab(self, index: int) -> None:
        spec = self._lazy.pop(index, None)
        if spec is None:
            return
        module, cls, attr = spec
        view = getattr(importlib.import_module(module), cls)(self.controller, self)
        old = getattr(self, attr)
        text = self.tabs.tabText(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, text)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        old.deleteLater()
        setattr(self, attr, view)
        if attr == "history":
            from octasip.ui.recordings_view import RecordingIndex

            self.recording_index = index = RecordingIndex(self.controller, self)
            view.show_recordings(index.text)
            index.changed.connect(lambda: view.show_recordings(index.text))

    def views(self) -> None:
        """Build every lazy tab now (tests, screenshots)."""
        for index in list(self._lazy):
            self._build_tab(index)
        self.tabs.setCurrentIndex(0)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&OctaSIP"))
        for text, shortcut, slot in (
                (self.tr("&Settings…"), QKeySequence.StandardKey.Preferences, self.settings_requested.emit),
                (self.tr("&Echo test"), None, self.controller.echo_test),
                (self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.quit_requested.emit)):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
        settings = QAction(self.tr("Settings"), self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.settings_requested.emit)
        self.addAction(settings)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About and privacy notice"), self)
        about.triggered.connect(self.about_requested.emit)
        help_menu.addAction(about)

    def _build_shortcuts(self) -> None:
        for keys, slot in (("Ctrl+L", self.focus_dial), ("Ctrl+Return", self._answer_ringing),
                           ("Ctrl+E", self._hangup_current), ("Ctrl+M", self._mute_current),
                           ("Ctrl+Shift+H", self._hold_current)):
            QShortcut(QKeySequence(keys), self, activated=slot)

    # ------------------------------------------------------------------ actions
    def focus_dial(self) -> None:
        self.tabs.setCurrentWidget(self.phone)
        self.dial_entry.setFocus()
        self.dial_entry.selectAll()

    def prefill(self, uri: str) -> None:
        """A sip:/tel: link: show it in the dial entry. Placing the call still takes a click."""
        self.show_window()
        self.tabs.setCurrentWidget(self.phone)
        self.dial_entry.setText(uri)
        self.dial_entry.setFocus()

    def show_window(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def dial(self) -> None:
        target = self.dial_entry.text().strip()
        if target.endswith(">") and "<" in target:  # a suggestion: "Name <sip:...>"
            target = target[target.rindex("<") + 1:-1]
        if self.controller.dial(target, incognito=self.incognito.isChecked(), parent=self) is not None:
            self.dial_entry.clear()
            self.incognito.setChecked(False)

    def _pad(self, key: str) -> None:
        self.dial_entry.insert(key)
        current = self._current_call()
        if current is not None and current.state is CallState.CONFIRMED:
            self.controller.dtmf(current.call_id, key)

    def _current_call(self):
        view = self.calls_tabs.currentWidget()
        return self.controller.calls.get(view.call_id) if view is not None else None

    def _answer_ringing(self) -> None:
        ringing = [c for c in self.controller.calls.values() if c.state is CallState.INCOMING]
        if ringing:
            self.controller.answer(ringing[-1].call_id, self)

    def _hangup_current(self) -> None:
        call = self._current_call()
        if call is not None:
            self.controller.hangup(call.call_id)

    def _mute_current(self) -> None:
        view = self.calls_tabs.currentWidget()
        if view is not None:
            view.buttons["mute"].toggle()

    def _hold_current(self) -> None:
        view = self.calls_tabs.currentWidget()
        if view is not None:
            view.buttons["hold"].toggle()

    # ------------------------------------------------------------------ updates
    def _refresh_accounts(self) -> None:
        statuses = list(self.controller.accounts.values())
        if not statuses:
            self.accounts_label.setText(self.tr("No account yet: add one in Settings (Ctrl+,), or try the echo "
                                                "test from the OctaSIP menu."))
            return
        lines = []
        for s in statuses:
            label = self.tr(_STATE_LABELS.get(s.state, s.state))
            colour = _STATE_COLOURS.get(s.state, "#757575")
            why = ""
            if s.state in ("failed", "retrying"):
                why = " — " + (s.detail or f"{s.code} {s.reason}".strip())
            uri, why = html.escape(s.account.uri, quote=False), html.escape(why, quote=False)
            lines.append(f"<span style='color:{colour}'>●</span> {uri}: {label}{why}")
        self.accounts_label.setText("<br>".join(lines))

    def _calls_visible(self, on: bool) -> None:
        """During calls the call views get the room; "New call…" brings the dial pad back."""
        self.calls_tabs.setVisible(on)
        self.new_call.setVisible(on)
        self.new_call.setChecked(False)
        self.dialer.setVisible(not on)

    def _on_call_updated(self, call_id: int) -> None:
        call = self.controller.calls.get(call_id)
        if call is not None and call_id in self.call_views:
            index = self.calls_tabs.indexOf(self.call_views[call_id])
            self.calls_tabs.setTabText(index, call.remote_name or call.remote_uri)
        if call is None or call.state is CallState.INCOMING or call_id in self.call_views:
            return
        from octasip.ui.call_view import CallView

        view = CallView(self.controller, call_id, self)
        view.open_settings.connect(self.settings_requested.emit)
        self.call_views[call_id] = view
        self.calls_tabs.addTab(view, call.remote_name or call.remote_uri)
        self.calls_tabs.setCurrentWidget(view)
        self._calls_visible(True)
        self.tabs.setCurrentWidget(self.phone)

    def _on_call_removed(self, call_id: int) -> None:
        view = self.call_views.pop(call_id, None)
        if view is not None:
            self.calls_tabs.removeTab(self.calls_tabs.indexOf(view))
            view.deleteLater()
        self._calls_visible(bool(self.call_views))

    def _on_missed(self, count: int) -> None:
        index = self.tabs.indexOf(self.history)
        self.tabs.setTabText(index, self.tr("&History ({n})").format(n=count) if count else self.tr("&History"))

    def set_suggestions(self, items: list[str]) -> None:
        self.suggestions.setStringList(items)

    def closeEvent(self, event) -> None:
        if self.close_to_tray and not self.quitting:
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)
