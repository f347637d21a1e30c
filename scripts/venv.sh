#!/usr/bin/env bash
# Create .venv with a Python >= 3.11 and install OctaSIP editable with its test and lint extras.
#
# Re-runnable and quick: a stamp in .venv records the hash of pyproject.toml and the venv's Python;
# the install runs again only when one of them changed (or the venv is broken).
#
# Usage: scripts/venv.sh [PYTHON]   (default: the first of python3.13 python3.12 python3.11 python3 that is >= 3.11)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.octasip-installed"
extras="${OCTASIP_EXTRAS:-test,lint}"

version_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }

want() { echo "$(sha256sum <"$root/pyproject.toml" | cut -d' ' -f1) extras=$extras python=$("$venv/bin/python" -VV | tr -s ' ' ' ')"; }

if [[ -x "$venv/bin/python" ]] && version_ok "$venv/bin/python"; then
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$(want)" ]]; then
        exit 0
    fi
else
    python="${1:-}"
    if [[ -z "$python" ]]; then
        python="$("$root/scripts/find-python.sh")" || exit 1
    elif ! version_ok "$python"; then
        echo "venv: $python is not Python >= 3.11" >&2
        exit 1
    fi
    if [[ -e "$venv" ]]; then
        echo "venv: $venv is broken or too old; recreating it"
        rm -rf "$venv"
    fi
    echo "venv: creating $venv with $python ($("$python" -c 'import sys; print(sys.version.split()[0])'))"
    if ! "$python" -m venv "$venv"; then
        echo "venv: '$python -m venv' failed. On Debian/Ubuntu install python3-venv (or run 'make deps' as root)." >&2
        rm -rf "$venv"
        exit 1
    fi
fi

rm -f "$stamp"
echo "venv: installing octasip[$extras] (editable)"
"$venv/bin/python" -m pip install --disable-pip-version-check -q -e "$root[$extras]"
want >"$stamp"
