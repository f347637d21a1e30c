"""Desktop integration files: the .desktop file and the AppStream metainfo pass their validators, the
icons exist in every size, and install-desktop registers OctaSIP as the sip:/sips:/tel: handler
(checked with xdg-mime) in a scratch home, and removes it again."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.octasip.OctaSIP"


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: `make deps` installs it (Debian package {package})")
    return path


def test_desktop_file_validates_and_handles_the_schemes() -> None:
    res = subprocess.run([_tool("desktop-file-validate", "desktop-file-utils"), str(LINUX / f"{APP_ID}.desktop")],
                         capture_output=True, text=True)
    assert res.returncode == 0 and not res.stdout.strip(), res.stdout + res.stderr
    text = (LINUX / f"{APP_ID}.desktop").read_text()
    assert "MimeType=x-scheme-handler/sip;x-scheme-handler/sips;x-scheme-handler/tel;" in text
    assert "Exec=octasip %u" in text


def test_appstream_metainfo_validates() -> None:
    res = subprocess.run([_tool("appstreamcli", "appstream"), "validate", "--no-net",
                          str(LINUX / f"{APP_ID}.metainfo.xml")], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_icons_in_svg_and_png_sizes() -> None:
    base = LINUX / "icons" / "hicolor"
    assert (base / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        png = base / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png


def test_install_desktop_registers_the_link_handlers(tmp_path: Path) -> None:
    _tool("xdg-mime", "xdg-utils")
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "DESKTOP_SESSION", "KDE_", "GNOME_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"))
    home.mkdir()
    res = subprocess.run([str(ROOT / "scripts" / "install-desktop.sh")], env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    installed = home / ".local/share/applications" / f"{APP_ID}.desktop"
    assert f'Exec="{ROOT}/.venv/bin/octasip" %u' in installed.read_text()
    for scheme in ("sip", "sips", "tel"):
        query = subprocess.run(["xdg-mime", "query", "default", f"x-scheme-handler/{scheme}"], env=env,
                               capture_output=True, text=True)
        assert query.stdout.strip() == f"{APP_ID}.desktop", (scheme, query.stdout, query.stderr)
    assert (home / ".local/share/icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()
    res = subprocess.run([str(ROOT / "scripts" / "install-desktop.sh"), "--uninstall"], env=env,
                         capture_output=True, text=True)
    assert res.returncode == 0 and not installed.exists()


def test_macos_plist_declares_the_url_schemes() -> None:
    import plistlib

    info = plistlib.loads((ROOT / "packaging" / "macos" / "Info.plist").read_bytes())
    assert info["CFBundleIdentifier"] == APP_ID
    schemes = {s for t in info["CFBundleURLTypes"] for s in t["CFBundleURLSchemes"]}
    assert schemes == {"sip", "sips", "tel"}
    assert info["NSMicrophoneUsageDescription"]


def test_windows_registry_file_registers_the_url_schemes() -> None:
    text = (ROOT / "packaging" / "windows" / "octasip-url-handlers.reg").read_bytes().decode()  # CRLF kept
    assert text.startswith("Windows Registry Editor Version 5.00\r\n")
    for scheme in ("sip", "sips", "tel"):
        key = f"[HKEY_CURRENT_USER\\Software\\Classes\\{scheme}]"
        assert f"{key}\r\n@=\"URL:{scheme}\"\r\n\"URL Protocol\"=\"\"" in text
        assert f"[HKEY_CURRENT_USER\\Software\\Classes\\{scheme}\\shell\\open\\command]" in text
    assert text.count('\\"%1\\""') == 3
