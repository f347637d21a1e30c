"""Settings > About: the privacy notice, versions and licences."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from octasip.ui.first_run import notice_html

# Names and licences are not translated: they are the licences' own names.
LICENCES = (
    "<li>OctaSIP Desktop: GNU GPL v3 or later</li>"
    "<li>PJSIP (pjsua2-python): GNU GPL v2 or later</li>"
    "<li>Qt and PySide6: GNU LGPL v3</li>"
    "<li>SQLCipher (sqlcipher3): BSD-style licence</li>"
    "<li>OpenSSL 1.0.2 (inside the PJSIP wheel): OpenSSL/SSLeay licence</li>"
    "<li>keyring, platformdirs: MIT; vobject: Apache 2.0; cryptography: Apache 2.0 or BSD</li>"
)


class AboutPage(QWidget):
    def __init__(self, app, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("About OctaSIP"))
        self.text.setHtml(notice_html(self.tr) + "<h3>" + self.tr("Licences") + "</h3><p>"
                          + self.tr("OctaSIP Desktop, and the libraries it is built on:") + "</p><ul>" + LICENCES
                          + "</ul>")
        self.versions = QLabel(self.tr("Versions: …"))
        self.versions.setWordWrap(True)
        self.versions.setAccessibleName(self.tr("Versions"))
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                              | Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.versions)

        def read():
            from octasip.doctor import versions

            return versions()

        app.store.run_raw(read, lambda v: self.versions.setText(
            "  ·  ".join(f"{k} {val}" for k, val in v.items())), self.versions.setText)
