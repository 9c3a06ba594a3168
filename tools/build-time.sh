#!/usr/bin/env bash
# Measures the two build figures issue 13 sets targets for, so they can be retaken:
#   cold         `cmake --preset dev` + `cmake --build` in a new build folder, compiler cache off
#   incremental  touch src/wharf/dispatch/scheduler.cpp, rebuild `wharf` and the unit tests
# Usage: tools/build-time.sh [BUILD-DIR]   (default: a new folder under /tmp, removed after)
# Environment: WHARF_BUILD_JOBS (default: Ninja's, cores + 2, as the plain `cmake --build`).
# Run it on a quiet machine: the figures are wall time. Prints one line per figure and a table
# row for the closing notes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=(${WHARF_BUILD_JOBS:+-j "$WHARF_BUILD_JOBS"})
dir=${1:-}
own_dir=0
if [[ -z $dir ]]; then
  dir=$(mktemp -d /tmp/wharf-build-time.XXXXXX)
  own_dir=1
fi
cleanup() { if ((own_dir)); then rm -rf "$dir"; fi; }
trap cleanup EXIT

seconds() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

# A cold build: no compiler cache at all (CCACHE_DISABLE makes the launcher a plain compiler).
export CCACHE_DISABLE=1
start=$(seconds)
cmake --preset dev -B "$dir" >/dev/null
cmake --build "$dir" "${jobs[@]}" >/dev/null
cold=$(since "$start")
echo "cold dev build (configure + build, no compiler cache): ${cold} s"

unit_targets=()
for folder in tests/unit/*/; do
  unit_targets+=("unit_$(basename "$folder")")
done
touch src/wharf/dispatch/scheduler.cpp
start=$(seconds)
cmake --build "$dir" "${jobs[@]}" --target wharf "${unit_targets[@]}" >/dev/null
incremental=$(since "$start")
echo "incremental (touch dispatch/scheduler.cpp, rebuild wharf + ${#unit_targets[@]} unit test executables): ${incremental} s"
printf '| %s | %s s | %s s | %s cores, load %s |\n' "$(git rev-parse --short HEAD)" "$cold" \
  "$incremental" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
