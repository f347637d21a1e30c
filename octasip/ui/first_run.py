"""First run: the privacy notice (what is stored, where, encrypted how, never sent anywhere), then
the choice to add an account or try the echo test. Shown again whenever the notice changes."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

NOTICE_VERSION = "1"
NOTICE_DATE = "2026-11-22"


def notice_html(tr) -> str:
    return tr(
        "<h2>Your privacy in OctaSIP</h2>"
        "<p><b>What OctaSIP stores, only on this computer:</b> your SIP accounts (without passwords), your call "
        "history, your contacts, your settings, and a record of the permissions you grant. Call recording is "
        "off unless you turn it on.</p>"
        "<p><b>Where and how:</b> in one database in your user data folder, encrypted with SQLCipher (AES-256). "
        "Its key, and your SIP passwords, are kept in your system keyring (GNOME Keyring, KWallet, the macOS "
        "Keychain or the Windows Credential Manager), never in a file.</p>"
        "<p><b>Never sent anywhere:</b> OctaSIP has no analytics, no telemetry and no cloud. The only network "
        "traffic is your calls, to the SIP provider you configure, over TLS with encrypted media (SRTP) "
        "where the provider supports it.</p>"
        "<p><b>You decide:</b> the microphone, your contacts and writing files outside OctaSIP's folder each "
        "need your permission first. You choose how long history is kept, can make calls that leave no "
        "trace, export all your data, and delete all of it with one button in Settings > Privacy.</p>"
        "<p><small>Privacy notice version {version}, {date}.</small></p>"
    ).format(version=NOTICE_VERSION, date=NOTICE_DATE)


class FirstRunDialog(QDialog):
    """Result: ``choice`` is "account", "echo" or "later" after the dialog is accepted."""

    def __init__(self, parent: QWidget | None = None, changed: bool = False) -> None:
        super().__init__(parent)
        self.choice = "later"
        self.setWindowTitle(self.tr("Welcome to OctaSIP") if not changed else self.tr("Our privacy notice changed"))
        layout = QVBoxLayout(self)
        if changed:
            note = QLabel(self.tr("The privacy notice has changed since you last read it. Please read it again."))
            note.setWordWrap(True)
            layout.addWidget(note)
        text = QTextBrowser()
        text.setHtml(notice_html(self.tr))
        text.setAccessibleName(self.tr("Privacy notice"))
        text.setMinimumSize(520, 320)
        layout.addWidget(text)
        row = QHBoxLayout()
        self.add_account = QPushButton(self.tr("&Add an account"))
        self.echo = QPushButton(self.tr("Try the &echo test"))
        self.later = QPushButton(self.tr("&Later"))
        for button, choice in ((self.add_account, "account"), (self.echo, "echo"), (self.later, "later")):
            button.setAccessibleName(button.text().replace("&", ""))
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            row.addWidget(button)
        layout.addLayout(row)
        self.add_account.setDefault(True)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
