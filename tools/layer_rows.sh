#!/usr/bin/env bash
# Prints ARCHITECTURE.md's layer table rows from src/wharf/layers.cmake (paste them over the old
# ones after changing a layer; the layering check compares the two).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sed -nE 's/^wharf_layer\(([a-z_/]+)( DEPENDS ([^)]*))?\)$/\1|\3/p' "$root/src/wharf/layers.cmake" |
  while IFS='|' read -r folder uses; do
    if [[ -z $uses ]]; then
      printf '| `%s/` | — |\n' "$folder"
    else
      printf '| `%s/` | %s |\n' "$folder" "$(printf '`%s/`, ' $uses | sed 's/, $//')"
    fi
  done
