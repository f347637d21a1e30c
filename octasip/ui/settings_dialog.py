"""The Settings window: Accounts, Audio, Privacy, General and About (one module per page)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

PAGES = ("accounts", "audio", "privacy", "general", "about")


class GeneralPage(QWidget):
    def __init__(self, app, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from octasip.app import CLOSE_TO_TRAY_SETTING

        layout = QVBoxLayout(self)
        self.close_to_tray = QCheckBox(self.tr("Closing the window keeps OctaSIP running in the system tray "
                                               "(to take calls); otherwise closing quits"))
        self.close_to_tray.setAccessibleName(self.tr("Close to the system tray"))
        self.close_to_tray.setChecked(app.window.close_to_tray)
        self.close_to_tray.setEnabled(app.tray is not None)
        layout.addWidget(self.close_to_tray)
        layout.addStretch(1)

        def changed(on: bool) -> None:
            app.window.close_to_tray = on
            app.store.run(lambda p: p.settings.set(CLOSE_TO_TRAY_SETTING, on))

        self.close_to_tray.toggled.connect(changed)


class SettingsDialog(QDialog):
    def __init__(self, app, parent: QWidget | None = None, page: str = "") -> None:
        super().__init__(parent)
        from octasip.ui.settings_about import AboutPage
        from octasip.ui.settings_accounts import AccountsPage
        from octasip.ui.settings_audio import AudioPage
        from octasip.ui.settings_privacy import PrivacyPage

        self.setWindowTitle(self.tr("OctaSIP settings"))
        self.setModal(False)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings pages"))
        self.pages = {"accounts": AccountsPage(app), "audio": AudioPage(app), "privacy": PrivacyPage(app),
                      "general": GeneralPage(app), "about": AboutPage(app)}
        titles = {"accounts": self.tr("&Accounts"), "audio": self.tr("A&udio"), "privacy": self.tr("&Privacy"),
                  "general": self.tr("&General"), "about": self.tr("A&bout")}
        for key in PAGES:
            self.tabs.addTab(self.pages[key], titles[key])
        if page in self.pages:
            self.tabs.setCurrentWidget(self.pages[page])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(640, 560)
