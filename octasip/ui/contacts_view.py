"""The Contacts tab: favourites first, search, add/edit/delete, call, import (vCard/CSV) and export.

Contacts are personal data: the tab asks for the contacts permission before it reads or imports any.
Refused, it stays empty and everything else in OctaSIP works.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from octasip.core.consent import Permission
from octasip.core.contacts import Contact, ContactAddress
from octasip.ui.forms import finish_form

ContactRole = Qt.ItemDataRole.UserRole + 1


class ContactEditor(QDialog):
    def __init__(self, contact: Contact | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contact = contact
        self.result_contact: Contact | None = None
        self.setWindowTitle(self.tr("Edit contact") if contact else self.tr("Add contact"))
        form = QFormLayout()
        self.name = QLineEdit(contact.name if contact else "")
        self.phone = QLineEdit(", ".join(a.value for a in contact.addresses if a.kind == "phone") if contact else "")
        self.sip = QLineEdit(", ".join(a.value for a in contact.addresses if a.kind == "sip") if contact else "")
        self.email = QLineEdit(", ".join(a.value for a in contact.addresses if a.kind == "email") if contact else "")
        self.org = QLineEdit(contact.organization if contact else "")
        for label, w in ((self.tr("Name"), self.name), (self.tr("Phone numbers"), self.phone),
                         (self.tr("SIP addresses"), self.sip), (self.tr("E-mail"), self.email),
                         (self.tr("Organization"), self.org)):
            w.setAccessibleName(label)
            form.addRow(label, w)
        self.error = finish_form(self, form, self.tr("Problem with the contact"))

    def _save(self) -> None:
        def split(text: str) -> list[str]:
            return [p.strip() for p in text.split(",") if p.strip()]

        if not self.name.text().strip():
            self.error.setText(self.tr("A contact needs a name."))
            return
        addresses = [ContactAddress("phone", v) for v in split(self.phone.text())]
        addresses += [ContactAddress("sip", v if v.lower().startswith("sip") else "sip:" + v)
                      for v in split(self.sip.text())]
        addresses += [ContactAddress("email", v) for v in split(self.email.text())]
        base = self.contact or Contact(name="")
        self.result_contact = base.replace(name=self.name.text().strip(), addresses=tuple(addresses),
                                           organization=self.org.text().strip())
        self.accept()


class ContactsView(QWidget):
    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = controller.store
        self.setAccessibleName(self.tr("Contacts"))
        self.stack = QStackedWidget()
        gate = QWidget()
        g = QVBoxLayout(gate)
        text = QLabel(self.tr("Contacts stay on this computer, encrypted. OctaSIP asks before it reads or "
                              "imports any."))
        text.setWordWrap(True)
        self.allow_button = QPushButton(self.tr("&Use contacts…"))
        self.allow_button.setAccessibleName(self.tr("Use contacts"))
        self.allow_button.clicked.connect(self._ask)
        g.addStretch(1)
        g.addWidget(text)
        g.addWidget(self.allow_button)
        g.addStretch(1)
        self.stack.addWidget(gate)
        main = QWidget()
        m = QVBoxLayout(main)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name or number"))
        self.search.setAccessibleName(self.tr("Search contacts"))
        self.search.setClearButtonEnabled(True)
        m.addWidget(self.search)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Contacts, favourites first"))
        self.list.itemDoubleClicked.connect(lambda _i: self.call())
        m.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.buttons = {}
        for key, label, slot in (("call", self.tr("&Call"), self.call), ("add", self.tr("&Add…"), self.add),
                                 ("edit", self.tr("&Edit…"), self.edit), ("delete", self.tr("&Delete"), self.delete),
                                 ("favourite", self.tr("&Favourite"), self.favourite),
                                 ("import", self.tr("&Import…"), self.import_file),
                                 ("export", self.tr("E&xport…"), self.export_file)):
            b = QPushButton(label)
            b.setAccessibleName(label.replace("&", "").replace("…", ""))
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[key] = b
        m.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("Contacts status"))
        m.addWidget(self.note)
        self.stack.addWidget(main)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._debounce.start(150))
        controller.permissions_changed.connect(self._gate)
        self._gate()

    # ------------------------------------------------------------------ permission
    def _gate(self) -> None:
        allowed = self.controller.permission(Permission.CONTACTS) is True
        self.stack.setCurrentIndex(1 if allowed else 0)
        if allowed:
            self.reload()
        else:
            self.list.clear()

    def _ask(self) -> None:
        self.controller.ensure_permission(Permission.CONTACTS, self)
        self._gate()

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        term = self.search.text()

        def read(profile):
            return profile.contacts.search(term, 5000) if term else profile.contacts.list(limit=5000)

        def fill(contacts: list[Contact]) -> None:
            self.list.clear()
            for c in contacts:
                numbers = ", ".join(a.value for a in c.addresses if a.kind in ("phone", "sip"))
                item = QListWidgetItem(f"{'★ ' if c.favourite else ''}{c.name}    {numbers}")
                item.setData(ContactRole, c)
                self.list.addItem(item)
            if not contacts and not term:
                self.note.setText(self.tr("No contacts yet: add one, or import a vCard or CSV file."))

        self.store.run(read, fill, self.note.setText)

    def _selected(self) -> Contact | None:
        item = self.list.currentItem()
        return item.data(ContactRole) if item else None

    def call(self) -> None:
        c = self._selected()
        if c is None:
            return
        targets = [a.value for a in c.addresses if a.kind in ("sip", "phone")]
        if not targets:
            self.note.setText(self.tr("{name} has no number or SIP address.").format(name=c.name))
            return
        target = targets[0]
        if len(targets) > 1:
            target, ok = QInputDialog.getItem(self, self.tr("Call {name}").format(name=c.name), self.tr("Call:"),
                                              targets, 0, False)
            if not ok:
                return
        self.controller.dial(target, parent=self)

    def add(self) -> None:
        self._edit(None)

    def edit(self) -> None:
        c = self._selected()
        if c is not None:
            self._edit(c)

    def _edit(self, contact: Contact | None) -> None:
        editor = ContactEditor(contact, self)
        if editor.exec() != QDialog.DialogCode.Accepted or editor.result_contact is None:
            return
        c = editor.result_contact
        self.store.run(lambda p: p.contacts.update(c) if c.id else p.contacts.add(c), lambda _r: self.reload(),
                       self.note.setText)

    def delete(self) -> None:
        c = self._selected()
        if c is None or QMessageBox.question(self, self.tr("Delete contact?"), self.tr("Delete {name}?").format(
                name=c.name)) != QMessageBox.StandardButton.Yes:
            return
        self.store.run(lambda p: p.contacts.delete(c.id), lambda _r: self.reload(), self.note.setText)

    def favourite(self) -> None:
        c = self._selected()
        if c is not None:
            self.store.run(lambda p: p.contacts.set_favourite(c.id, not c.favourite), lambda _r: self.reload(),
                           self.note.setText)

    def import_file(self, path: str | None = None) -> None:
        if not self.controller.ensure_permission(Permission.CONTACTS, self):
            self.note.setText(self.tr("Importing needs the contacts permission."))
            return
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import contacts"), "",
                                                  self.tr("Contacts (*.vcf *.vcard *.csv)"))
            if not path:
                return

        def run(profile):
            from pathlib import Path

            from octasip.storage.contacts_io import import_contacts

            return import_contacts(profile.conn, Path(path))

        def done(report) -> None:
            self.note.setText(self.tr("Imported: {summary}").format(summary=report.summary()))
            self.reload()

        self.store.run(run, done, self.note.setText)

    def export_file(self, path: str | None = None) -> None:
        if not self.controller.ensure_permission(Permission.STORAGE, self):
            self.note.setText(self.tr("Nothing was exported: writing outside OctaSIP's folder is not allowed."))
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export contacts"), "contacts.vcf", "vCard (*.vcf)")
            if not path:
                return

        def run(profile):
            from pathlib import Path

            from octasip.privacy.export import write_atomically
            from octasip.storage.contacts_io import to_vcard

            contacts = profile.contacts.list()
            with write_atomically(Path(path), True) as f:
                f.write(to_vcard(contacts))
            return len(contacts)

        self.store.run(run, lambda n: self.note.setText(
            self.tr("Exported {n} contacts. The file is NOT encrypted.").format(n=n)), self.note.setText)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._gate()
