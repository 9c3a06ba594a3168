#!/usr/bin/env bash
# Builds and installs wharf, then pins this checkout (VERSION and docker/.env).
#   tools/install.sh [--prefix DIR] [--no-pin]
# Later steps (pull the pinned images, start the stack) arrive with `wharf images` / `wharf update`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=/usr/local
pin=1
while (($#)); do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --no-pin) pin=0; shift ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=tools/deps.sh
source "$root/tools/deps.sh"
ensure_packages "${WHARF_BUILD_PACKAGES[@]}"

build="$root/build/install"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWHARF_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
cmake --install "$build" --prefix "$prefix" --strip
echo "installed $prefix/bin/wharf ($("$prefix/bin/wharf" --version))"

if ((pin)); then
  "$prefix/bin/wharf" --root "$root" pin
  "$prefix/bin/wharf" --root "$root" pin --check
fi
