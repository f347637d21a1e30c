"""When the encrypted database cannot be opened (damaged file, key missing from the keyring, full
disk): the reason, and the user's choice. Nothing is moved or deleted without that choice."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def show_recovery(app, message: str, choices: tuple[str, ...]) -> None:
    window = app.window
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(window.tr("OctaSIP cannot open your data"))
    box.setText(window.tr("OctaSIP cannot open its encrypted database."))
    box.setInformativeText(message)
    keep = fresh = None
    if "keep-aside" in choices:
        keep = box.addButton(window.tr("Keep the file aside and start fresh"), QMessageBox.ButtonRole.AcceptRole)
    if "start-fresh" in choices:
        fresh = box.addButton(window.tr("Delete it and start fresh"), QMessageBox.ButtonRole.DestructiveRole)
    retry = box.addButton(window.tr("Try again"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(window.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is retry:
        app.store.reopen()
        return
    if clicked is None or clicked not in (keep, fresh):
        app.quit()
        return
    if clicked is fresh and QMessageBox.question(
            window, window.tr("Delete your data?"),
            window.tr("This deletes the database file and its key: its history, contacts and settings are lost "
                      "for good. Continue?")) != QMessageBox.StandardButton.Yes:
        show_recovery(app, message, choices)
        return
    choice = "keep-aside" if clicked is keep else "start-fresh"

    def act():
        from octasip.secrets import SecretStore
        from octasip.storage import recovery

        data_dir = app.data_dir
        if data_dir is None:
            from octasip import paths

            data_dir = paths.data_dir()
        fn = recovery.keep_aside if choice == "keep-aside" else recovery.start_fresh
        return fn(data_dir, SecretStore())

    def failed(msg: str) -> None:
        show_recovery(app, msg, choices)

    app.store.run_raw(act, lambda _r: app.store.reopen(), failed)
