#!/usr/bin/env bash
# Updates the running stack to the release on this checkout's upstream branch: git pull,
# VERSION, pull the images, recreate the stack, and roll back by itself when it is not healthy.
#   tools/update.sh [wharf update options]      e.g. --check, --timeout 300
# Uses the wharf on PATH (tools/install.sh puts it there), or WHARF=/path/to/wharf.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
wharf=${WHARF:-wharf}
if ! command -v "$wharf" >/dev/null 2>&1; then
  echo "update.sh: '$wharf' is not installed — run tools/install.sh first, or set WHARF" >&2
  exit 2
fi
exec "$wharf" --root "$root" update "$@"
