#!/usr/bin/env bash
# Install the Debian packages OctaSIP's tests and app need (scripts/debian-packages.txt).
#
# Quick when everything is installed already (one dpkg-query call). As root: apt-get update (only
# when something is missing, at most once per run) and apt-get install. Not root: print the exact
# command to run and fail.
#
# Usage: scripts/deps.sh [PYTHON]   (PYTHON: the interpreter the venv will use; default python3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$here/debian-packages.txt"
python="${1:-python3}"

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: this is not a Debian/Ubuntu system (no dpkg/apt-get)." >&2
    echo "deps: install the equivalents of the packages in $list yourself." >&2
    exit 1
fi

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

# A Debian python3.x needs its -venv package for `python -m venv` (ensurepip).
py_path="$(command -v "$python" 2>/dev/null || true)"
if [[ -n "$py_path" && "$(readlink -f "$py_path")" == /usr/bin/* ]] && ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    wanted+=("python$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv")
fi

installed="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null | awk '$2 == "installed" {print $1}' || true)"
missing=()
for pkg in "${wanted[@]}"; do
    grep -qxF "$pkg" <<<"$installed" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "deps: missing Debian packages: ${missing[*]}" >&2
    echo "deps: install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q --no-install-recommends -o Dpkg::Use-Pty=0)
echo "deps: installing ${missing[*]}"
# Update the package lists first unless they look fresh (less than a day old); retry after an
# update if the install fails on stale lists.
lists=/var/lib/apt/lists
updated=0
if [[ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null)" ]]; then
    apt-get update -q
    updated=1
fi
if ! apt-get install "${apt_opts[@]}" "${missing[@]}"; then
    if [[ $updated -eq 1 ]]; then
        exit 1
    fi
    apt-get update -q
    apt-get install "${apt_opts[@]}" "${missing[@]}"
fi
