"""UI translations: Qt .qm files in resources/translations, chosen by the system locale."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator


def install(app, directory) -> list[QTranslator]:
    """Load OctaSIP's and Qt's own translations for the system locale (if there are any)."""
    installed = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, where in (("octasip", str(directory)), ("qtbase", qt_dir)):
        translator = QTranslator(app)
        if translator.load(QLocale.system(), name, "_", where):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
