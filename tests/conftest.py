"""Shared fixtures. Real servers live in tests/servers/ and are started and stopped by fixtures."""

pytest_plugins = [
    "tests.servers.fixtures_sip",
    "tests.servers.fixtures_keyring",
    "tests.servers.fixtures_audio",
    "tests.engine_fixtures",
]


def pytest_configure(config) -> None:
    """One QApplication for the whole run, made before anything makes a plain QCoreApplication (the
    CLI's audio code does, when no application exists): widgets abort the process without it."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        config._octasip_qapp = QApplication([])
