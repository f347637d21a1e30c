"""The common end of an edit dialog: an inline error line, then Save and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout


def finish_form(dialog: QDialog, form: QFormLayout, error_name: str) -> QLabel:
    """Lay out ``form``, an error label (returned) and Save/Cancel wired to ``dialog._save``/reject."""
    error = QLabel()
    error.setWordWrap(True)
    error.setStyleSheet("color: #c62828;")
    error.setAccessibleName(error_name)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog._save)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(buttons)
    return error
