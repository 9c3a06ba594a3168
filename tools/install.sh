#!/usr/bin/env bash
# Builds and installs wharf, pins this checkout (VERSION and docker/.env), pulls the pinned
# images and starts the stack.
#   tools/install.sh [--prefix DIR] [--no-pin] [--no-start]
# --no-pin: install only. --no-start: pin and pull, but start nothing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=/usr/local
pin=1
start=1
while (($#)); do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --no-pin) pin=0; start=0; shift ;;
    --no-start) start=0; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
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

if ((start)); then
  # Pull what the pin names (wharf never downloads on its own), check it is all there, then
  # start the stack with compose, which owns it from then on; `wharf update` moves it later.
  "$prefix/bin/wharf" --root "$root" images pull
  "$prefix/bin/wharf" --root "$root" images validate
  if docker compose version >/dev/null 2>&1; then
    (cd "$root/docker" && docker compose up -d)
  elif command -v docker-compose >/dev/null 2>&1; then
    (cd "$root/docker" && docker-compose up -d)
  else
    echo "install.sh: no compose CLI (docker compose or docker-compose) to start the stack;" >&2
    echo "install.sh: install one (apt-get install docker-compose), then run: (cd docker && docker-compose up -d)" >&2
    exit 3
  fi
  "$prefix/bin/wharf" --root "$root" status
fi
