"""Add or edit one SIP account. The password goes straight to the keyring; a stored password is never
read back into the field (leave it empty to keep it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from octasip.core.models import AccountConfig, AccountConfigError, DtmfMode, SrtpPolicy, Transport
from octasip.ui.forms import finish_form


class AccountEditor(QDialog):
    """``result_account`` and ``result_password`` (None: keep the stored one) after accept()."""

    def __init__(self, account: AccountConfig | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account = account
        self.result_account: AccountConfig | None = None
        self.result_password: str | None = None
        self.setWindowTitle(self.tr("Edit account") if account else self.tr("Add account"))
        form = QFormLayout()
        self.uri = QLineEdit(account.uri if account else "")
        self.uri.setPlaceholderText("sip:alice@example.com")
        self.name = QLineEdit(account.display_name if account else "")
        self.registrar = QLineEdit(account.registrar if account else "")
        self.registrar.setPlaceholderText(self.tr("default: the address's domain"))
        self.username = QLineEdit(account.username if account else "")
        self.username.setPlaceholderText(self.tr("default: the address's user"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("leave empty to keep the stored password") if account
                                         else self.tr("kept only in your system keyring"))
        self.transport = QComboBox()
        for t in Transport:
            self.transport.addItem(t.value.upper(), t.value)
        self.proxy = QLineEdit(account.outbound_proxy if account else "")
        self.expiry = QSpinBox()
        self.expiry.setRange(60, 86400)
        self.expiry.setValue(account.expiry if account else 300)
        self.ca_file = QLineEdit(account.ca_file if account else "")
        self.ca_file.setPlaceholderText(self.tr("default: the system's CA store"))
        browse = QPushButton(self.tr("Browse…"))
        browse.setAccessibleName(self.tr("Choose a CA file"))
        browse.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(browse)
        self.srtp = QComboBox()
        self.srtp.addItem(self.tr("Default (mandatory on TLS)"), None)
        for s in SrtpPolicy:
            self.srtp.addItem(s.value, s.value)
        self.dtmf = QComboBox()
        for d in DtmfMode:
            self.dtmf.addItem(d.value, d.value)
        self.direct = QCheckBox(self.tr("Accept calls that do not come from the registrar or proxy"))
        self.enabled = QCheckBox(self.tr("Enabled"))
        self.enabled.setChecked(account.enabled if account else True)
        if account:
            self.transport.setCurrentIndex(self.transport.findData(Transport(account.transport).value))
            self.srtp.setCurrentIndex(self.srtp.findData(account.srtp.value if account.srtp else None))
            self.dtmf.setCurrentIndex(self.dtmf.findData(DtmfMode(account.dtmf_mode).value))
            self.direct.setChecked(account.allow_direct_calls)
        else:
            self.transport.setCurrentIndex(self.transport.findData("tls"))
        rows = ((self.tr("SIP address"), self.uri), (self.tr("Display name"), self.name),
                (self.tr("Registrar"), self.registrar), (self.tr("Auth user name"), self.username),
                (self.tr("Password"), self.password), (self.tr("Transport"), self.transport),
                (self.tr("Outbound proxy"), self.proxy), (self.tr("Registration expiry (s)"), self.expiry),
                (self.tr("TLS CA file"), ca_row), (self.tr("Media encryption (SRTP)"), self.srtp),
                (self.tr("DTMF"), self.dtmf), ("", self.direct), ("", self.enabled))
        for label, widget in rows:
            form.addRow(label, widget)
            if isinstance(widget, QWidget):
                widget.setAccessibleName(label or widget.text())
        self.ca_file.setAccessibleName(self.tr("TLS CA file"))
        self.error = finish_form(self, form, self.tr("Problem with the account"))

    def set_password_stored(self, stored: bool) -> None:
        """Whether the keyring holds a password for this account (the page asks the keyring off the GUI
        thread). Only the placeholder changes: the stored password itself never comes near this field."""
        self.password.setPlaceholderText(self.tr("•••• stored in keyring (leave empty to keep it)") if stored
                                         else self.tr("no password stored (type one to store it in the keyring)"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("CA certificates"), "", "PEM (*.pem *.crt);;*")
        if path:
            self.ca_file.setText(path)

    def _save(self) -> None:
        try:
            acc = AccountConfig(
                uri=self.uri.text().strip(), id=self.account.id if self.account else 0,
                display_name=self.name.text().strip(), registrar=self.registrar.text().strip(),
                username=self.username.text().strip(), transport=Transport(self.transport.currentData()),
                outbound_proxy=self.proxy.text().strip(), expiry=self.expiry.value(),
                ca_file=self.ca_file.text().strip(),
                srtp=None if self.srtp.currentData() is None else SrtpPolicy(self.srtp.currentData()),
                allow_direct_calls=self.direct.isChecked(), dtmf_mode=DtmfMode(self.dtmf.currentData()),
                enabled=self.enabled.isChecked())
        except (AccountConfigError, ValueError) as e:
            self.error.setText(str(e))
            return
        self.result_account = acc
        self.result_password = self.password.text() or None
        self.password.clear()
        self.accept()
