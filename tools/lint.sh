#!/usr/bin/env bash
# Formatting check over every C++ file the repository tracks (clang-format, .clang-format).
#   tools/lint.sh         report files that are not formatted; exit 1 if any
#   tools/lint.sh --fix   format them in place
# clang-tidy is configured (.clang-tidy) but Debian 12's clang-tidy 14 cannot parse
# libstdc++ 12's <expected> (it needs a newer clang), so it is not run here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [[ ${1:-} == --fix ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
clang-format --dry-run --Werror "${files[@]}"
