#!/usr/bin/env bash
# Register OctaSIP with the desktop for the current user: the launcher, the icons, the AppStream
# metadata, and OctaSIP as the handler of sip:, sips: and tel: links. Undo with --uninstall.
# Uses $XDG_DATA_HOME (default ~/.local/share); the launcher runs this checkout's .venv/bin/octasip
# (or $OCTASIP_BIN).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app_id="org.octasip.OctaSIP"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="${OCTASIP_BIN:-$root/.venv/bin/octasip}"

if [[ "${1:-}" == "--uninstall" ]]; then
    rm -f "$data/applications/$app_id.desktop" "$data/metainfo/$app_id.metainfo.xml"
    find "$data/icons/hicolor" -name "$app_id.*" -delete 2>/dev/null || true
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
    echo "OctaSIP's launcher, icons and link handlers were removed (your data was not touched)."
    exit 0
fi

mkdir -p "$data/applications" "$data/metainfo"
sed -e "s|^Exec=octasip %u|Exec=\"$bin\" %u|" -e "s|^TryExec=octasip|TryExec=$bin|" \
    "$root/packaging/linux/$app_id.desktop" >"$data/applications/$app_id.desktop"
cp "$root/packaging/linux/$app_id.metainfo.xml" "$data/metainfo/"
mkdir -p "$data/icons/hicolor"
cp -r "$root/packaging/linux/icons/hicolor/." "$data/icons/hicolor/"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f "$data/icons/hicolor" 2>/dev/null || true
if command -v xdg-mime >/dev/null; then
    for scheme in sip sips tel; do
        xdg-mime default "$app_id.desktop" "x-scheme-handler/$scheme"
    done
else
    echo "xdg-mime not found (Debian package xdg-utils): sip:/tel: links are not registered." >&2
fi
echo "OctaSIP is installed for ${USER:-you}: launcher, icons, and the handler of sip:, sips: and tel: links."
