#!/usr/bin/env bash
# Print the first Python >= 3.11 on PATH (python3.13, python3.12, python3.11, python3), or fail.
set -euo pipefail

for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
        echo "$candidate"
        exit 0
    fi
done
echo "no Python >= 3.11 found on PATH (tried python3.13 python3.12 python3.11 python3); install python3.11" >&2
exit 1
