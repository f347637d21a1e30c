"""Permission dialogs: our desktop equivalent of mobile permissions. Each says why, and offers
Allow or Don't allow. The decision goes to the consent ledger (the controller records it)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from octasip.core.consent import Permission


def _texts(p: Permission) -> tuple[str, str]:
    tr = QCoreApplication.translate
    if p is Permission.MICROPHONE:
        return (tr("Permissions", "Allow OctaSIP to use the microphone?"),
                tr("Permissions", "The people you call need to hear you. OctaSIP opens the microphone only "
                   "while a call is connected, never while ringing, on hold or between calls, and shows when it "
                   "is in use.\n\nIf you don't allow it, calls are receive-only: you hear the other side, they "
                   "hear silence. You can change this at any time in Settings > Privacy."))
    if p is Permission.CONTACTS:
        return (tr("Permissions", "Allow OctaSIP to use your contacts?"),
                tr("Permissions", "OctaSIP can import contacts (vCard or CSV) to show names and suggest numbers. "
                   "They are stored only on this computer, encrypted, and never sent anywhere.\n\nIf you don't "
                   "allow it, everything else works; calls show numbers instead of names."))
    if p is Permission.STORAGE:
        return (tr("Permissions", "Allow OctaSIP to write files outside its own folder?"),
                tr("Permissions", "Exports and backups are written where you choose. Those files are NOT "
                   "encrypted: anyone who can read that folder can read them.\n\nIf you don't allow it, OctaSIP "
                   "never writes anything outside its encrypted data folder."))
    return (tr("Permissions", "Allow this?"), "")


class PermissionDialog(QDialog):
    def __init__(self, permission: Permission, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title, body = _texts(permission)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")
        heading.setWordWrap(True)
        text = QLabel(body)
        text.setWordWrap(True)
        text.setAccessibleName(self.tr("Why OctaSIP asks"))
        layout.addWidget(heading)
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        self.allow = buttons.addButton(self.tr("Allow"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.deny = buttons.addButton(self.tr("Don't allow"), QDialogButtonBox.ButtonRole.RejectRole)
        self.allow.setAccessibleName(self.tr("Allow"))
        self.deny.setAccessibleName(self.tr("Don't allow"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.allow.setDefault(True)
        self.setMinimumWidth(420)


def ask(permission: Permission, parent: QWidget | None = None) -> bool:
    """Show the dialog (modal: it is the user's decision that is awaited, nothing else) and return it."""
    return PermissionDialog(permission, parent).exec() == QDialog.DialogCode.Accepted
