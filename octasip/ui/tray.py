"""The system tray icon: status, a menu, and notifications for incoming calls."""

from __future__ import annotations

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget


class Tray(QSystemTrayIcon):
    def __init__(self, icon: QIcon, window: QWidget, controller, quit_slot) -> None:
        super().__init__(icon, window)
        self.window = window
        self.controller = controller
        menu = QMenu()
        for text, slot in ((self.tr("Show OctaSIP"), window.show_window), (self.tr("Echo test"), controller.echo_test),
                           (self.tr("Quit"), quit_slot)):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        self._menu = menu
        self.setContextMenu(menu)
        self.activated.connect(self._on_activated)
        controller.accounts_changed.connect(self.refresh)
        controller.incoming.connect(self._notify)
        self.refresh()

    def refresh(self) -> None:
        states = [s.state for s in self.controller.accounts.values()]
        if not states:
            status = self.tr("no account")
        elif all(s == "registered" for s in states):
            status = self.tr("registered")
        else:
            status = self.tr("{n} of {m} accounts registered").format(
                n=sum(1 for s in states if s == "registered"), m=len(states))
        self.setToolTip(self.tr("OctaSIP: {status}").format(status=status))

    def _notify(self, call_id: int) -> None:
        call = self.controller.calls.get(call_id)
        if call is not None and self.isVisible():
            self.showMessage(self.tr("Incoming call"), call.remote_name or call.remote_uri,
                             QSystemTrayIcon.MessageIcon.Information, 10000)

    def _on_activated(self, reason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.window.show_window()
