"""Composition root: builds and wires the app. No singletons, no global app object."""

from __future__ import annotations

import os
import sys

from octasip import diaglog
from octasip.core.consent import Permission


def has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY_HELP = """\
OctaSIP needs a graphical display for its window, and none was found (DISPLAY / WAYLAND_DISPLAY unset).
Without a display you can still use the command line. Try the echo test first (no account needed):
  octasip echo-test                   a real SIP call to OctaSIP's own echo peer on 127.0.0.1
  octasip echo-test --audio devices   the same with your microphone and speaker
  octasip doctor                      check the keyring, SIP/TLS libraries and audio
  octasip account add --uri sip:you@provider --transport tls --password-stdin
  octasip call NUMBER --json          register, call, and print a summary
  octasip answer --count 1            auto-answer incoming calls
  octasip --help                      everything else
"""


NOTICE_SETTING = "privacy.notice_version"
CLOSE_TO_TRAY_SETTING = "ui.close_to_tray"


class App:
    """Everything the window needs, built and wired here. Tests build one with fakes or real parts."""

    def __init__(self, data_dir=None, secrets=None, engine_factory=None, engine_settings=None,
                 ask_permission=None) -> None:
        from PySide6.QtGui import QIcon

        from octasip.ui import icons, permissions
        from octasip.ui.bridge import EngineBridge
        from octasip.ui.controller import AppController
        from octasip.ui.main_window import MainWindow
        from octasip.ui.store import Store

        self.data_dir = data_dir
        self.engine_settings = engine_settings
        self._engine_factory = engine_factory
        self.store = Store(data_dir, secrets)
        self.bridge = EngineBridge(self._make_engine)
        self.controller = AppController(self.bridge, self.store)
        self.window = MainWindow(self.controller)
        self.controller.ask_permission = ask_permission or (
            lambda p, parent: permissions.ask(p, parent or self.window))
        self.icon = QIcon(str(icons.path("octasip")))
        self.window.setWindowIcon(self.icon)
        self.tray = None
        self.incoming_windows: dict[int, object] = {}
        self.first_run_shown = False
        self.store.opened.connect(self._on_opened)
        self.store.history_changed.connect(self._suggestions_later)
        self.store.open_failed.connect(self._on_open_failed)
        self.bridge.start_failed.connect(lambda msg: self.controller.message.emit(
            self.window.tr("The SIP engine could not start: {msg}").format(msg=msg)))
        self.controller.incoming.connect(self._on_incoming)
        self.window.quit_requested.connect(self.quit)
        self.window.settings_requested.connect(self.open_settings)
        self.window.about_requested.connect(self.show_notice)

    # ------------------------------------------------------------------ start-up
    def start(self) -> None:
        """Call after the window is shown: opens the profile, then starts the engine."""
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable():
            from octasip.ui.tray import Tray

            self.tray = Tray(self.icon, self.window, self.controller, self.quit)
            self.tray.show()
        else:
            self.window.close_to_tray = False  # nowhere to minimise to: closing quits
        self.store.start()
        # The engine host (a process of its own) starts at the same time; the saved devices and the
        # microphone permission follow as commands, before any call can start.
        self.bridge.start()

    def _on_opened(self, _info) -> None:
        def read(profile):
            from octasip.cli import saved_devices

            return (saved_devices(profile), profile.settings.get(NOTICE_SETTING),
                    profile.settings.get(CLOSE_TO_TRAY_SETTING, True), profile.settings.get(diaglog.SETTING, False),
                    str(profile.data_dir))

        self.store.run(read, self._with_settings, self.controller.message.emit)

    def _with_settings(self, result) -> None:
        from octasip.core.commands import SetAudioDevices
        from octasip.ui.first_run import NOTICE_VERSION

        devices, notice, close_to_tray, sip_log, data_dir = result
        if sip_log:
            self.set_diagnostic_log(True, data_dir)
        if self.tray is not None:
            self.window.close_to_tray = bool(close_to_tray)
        if any(devices.values()):
            self.bridge.submit(SetAudioDevices(devices["input_id"], devices["output_id"], devices["ringer_id"]))
        self.controller.load(self.refresh_suggestions)
        if notice != NOTICE_VERSION:
            self.show_first_run(changed=notice is not None)

    def _suggestions_later(self) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(2000, self.refresh_suggestions)

    def set_diagnostic_log(self, on: bool, data_dir: str) -> None:
        from octasip.core.commands import SetDiagnosticLog

        self.bridge.submit(SetDiagnosticLog(data_dir if on else ""))

    def refresh_suggestions(self) -> None:
        """The dial entry's suggestions: recent numbers from history, and contacts if allowed."""
        contacts_allowed = self.controller.permission(Permission.CONTACTS) is True

        def read(profile):
            items: dict[str, None] = {}
            for r in profile.calls.newest(300):
                items.setdefault(f"{r.remote_name} <{r.remote_uri}>" if r.remote_name else r.remote_uri)
            if contacts_allowed:
                rows = profile.conn.execute(
                    "SELECT c.name, a.value FROM contacts c JOIN contact_addresses a ON a.contact_id = c.id"
                    " WHERE a.kind IN ('phone', 'sip') ORDER BY c.favourite DESC, c.name LIMIT 2000")
                for name, value in rows:
                    items.setdefault(f"{name} <{value}>")
            return list(items)

        self.store.run(read, self.window.set_suggestions)

    def _make_engine(self, on_event):
        if self._engine_factory is not None:
            return self._engine_factory(on_event)
        from octasip.engine import EngineSettings
        from octasip.host import DeviceChoice, RemoteEngine

        # PJSIP logs at level 5 into a writer that drops everything until Settings turn the redacted
        # SIP log on (SetDiagnosticLog): it can then start at once, without restarting the engine.
        settings = self.engine_settings or EngineSettings(
            bind_address=os.environ.get("OCTASIP_BIND", ""),
            sip_port=int(os.environ.get("OCTASIP_SIP_PORT", "0") or 0), pjsip_log_level=5)
        return RemoteEngine(settings, on_event, self.data_dir, DeviceChoice())

    def _on_open_failed(self, message: str, choices) -> None:
        from octasip.ui.recovery_dialog import show_recovery

        show_recovery(self, message, tuple(choices))

    # ------------------------------------------------------------------ windows
    def show_first_run(self, changed: bool = False) -> None:
        from octasip.ui.first_run import NOTICE_VERSION, FirstRunDialog

        self.first_run_shown = True
        dialog = FirstRunDialog(self.window, changed)
        dialog.setModal(False)
        self.first_run = dialog

        def done() -> None:
            self.store.run(lambda p: p.settings.set(NOTICE_SETTING, NOTICE_VERSION))
            self.store.run(lambda p: p.consent.record("privacy-notice", True, "gui", NOTICE_VERSION))
            if dialog.choice == "account":
                self.open_settings(page="accounts")
            elif dialog.choice == "echo":
                self.controller.echo_test()

        dialog.accepted.connect(done)
        dialog.show()

    def show_notice(self) -> None:
        from octasip.ui.first_run import FirstRunDialog

        dialog = FirstRunDialog(self.window)
        dialog.later.setText(dialog.tr("Close"))
        dialog.show()
        self.about = dialog

    def open_settings(self, page: str = "") -> None:
        from octasip.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, self.window, page=page)
        self.settings_dialog = dialog
        dialog.show()

    def _on_incoming(self, call_id: int) -> None:
        from octasip.ui.incoming import IncomingCallWindow

        waiting = any(c.call_id != call_id and c.state.value == "confirmed" for c in self.controller.calls.values())
        window = IncomingCallWindow(self.controller, call_id, waiting, self.window)
        self.incoming_windows[call_id] = window
        window.finished.connect(lambda _r: self.incoming_windows.pop(call_id, None))
        window.show()
        window.raise_()

    def handle_uri(self, uri: str) -> None:
        if uri:
            self.window.prefill(uri)
        else:
            self.window.show_window()

    # ------------------------------------------------------------------ the end
    def after_wipe(self) -> None:
        """Everything local is gone: forget the accounts and show first run again."""
        self.controller.accounts.clear()
        self.controller.accounts_changed.emit()
        self.store.reopen()

    def quit(self) -> None:
        from PySide6.QtWidgets import QApplication

        self.window.quitting = True
        if self.tray is not None:
            self.tray.hide()
        self.bridge.stop()
        self.store.stop()
        self.window.close()
        QApplication.instance().quit()


def _report_timing(app) -> None:
    """For benchmarks/bench_gui_launch.py: print wall-clock times of the first paint and registration."""
    import time

    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                print(f"octasip-timing first-paint {time.time():.6f}", flush=True)
                obj.removeEventFilter(self)
            return False

    app._first_paint = FirstPaint(app.window)
    app.window.installEventFilter(app._first_paint)

    def registered() -> None:
        if any(s.state == "registered" for s in app.controller.accounts.values()):
            print(f"octasip-timing registered {time.time():.6f}", flush=True)
            app.controller.accounts_changed.disconnect(registered)

    app.controller.accounts_changed.connect(registered)
    for name, signal in (("store-opened", app.store.opened), ("engine-started", app.bridge.started)):
        signal.connect(lambda *_a, n=name: print(f"octasip-timing {n} {time.time():.6f}", flush=True))


def run_gui(uri: str | None = None) -> int:
    if not has_display():
        print(NO_DISPLAY_HELP, end="")
        return 0
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from octasip import paths
    from octasip.ui.single_instance import InstanceServer, hand_over, server_name

    qt = QApplication.instance() or QApplication(sys.argv[:1])
    qt.setApplicationName("OctaSIP")
    qt.setDesktopFileName("octasip")
    qt.setQuitOnLastWindowClosed(False)
    from octasip.ui import i18n

    i18n.install(qt, paths.resources_dir() / "translations")
    data_dir = paths.data_dir()
    name = server_name(data_dir)
    if hand_over(name, uri or ""):
        return 0
    server = InstanceServer(name)
    app = App(data_dir)
    server.received.connect(app.handle_uri)
    if os.environ.get("OCTASIP_TIMING") == "1":
        _report_timing(app)
    app.window.show()
    if uri:
        app.window.prefill(uri)
    QTimer.singleShot(0, app.start)  # after the first paint
    qt.aboutToQuit.connect(lambda: app.bridge.stop())
    return qt.exec()
