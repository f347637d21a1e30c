#!/usr/bin/env bash
# Start the OctaSIP app from .venv. Without a display, explain how to use the command line instead.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ "$(uname -s)" != "Darwin" && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    cat <<'EOF'
OctaSIP's window needs a graphical display, and none was found (DISPLAY and WAYLAND_DISPLAY are unset).
Without a display, use the command line:
  .venv/bin/octasip echo-test     call an echo service to check your audio and network
  .venv/bin/octasip --help        accounts, calls, auto-answer and diagnostics
EOF
    exit 0
fi

exec "$root/.venv/bin/octasip" "$@"
