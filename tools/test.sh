#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing (as root, from Debian packages),
# builds with the dev preset, starts the private peers (tools/peers.sh), runs ctest against
# them, stops the peers whatever happens, and exits with ctest's status.
#
# Usage: tools/test.sh [--unit-only] [CTEST-ARGS...]
#   --unit-only   build, then run only tests labelled "unit"; no peers, no root needed
#   CTEST-ARGS    passed to ctest, e.g. -R Peers, -L integration, -V
# Environment: WHARF_BUILD_JOBS (default 2), WHARF_TEST_TIMEOUT (seconds per test without its
# own TIMEOUT property, default 300).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

unit_only=0
ctest_args=()
while (($#)); do
  case $1 in
    --unit-only) unit_only=1 ;;
    -h | --help)
      sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) ctest_args+=("$1") ;;
  esac
  shift
done

started=$SECONDS
say() { printf 'test.sh: %s\n' "$*" >&2; }
elapsed() { printf '%dm%02ds' $(((SECONDS - $1) / 60)) $(((SECONDS - $1) % 60)); }

# --- (a) tools ------------------------------------------------------------------------------
# shellcheck source=tools/deps.sh
source "$root/tools/deps.sh"
ensure_packages "${WHARF_BUILD_PACKAGES[@]}" libgtest-dev libgmock-dev "${WHARF_PEER_PACKAGES[@]}"

# --- (b) build ------------------------------------------------------------------------------
build_started=$SECONDS
# In CI a compiler warning fails the build, so none can creep in unnoticed.
werror=$([[ ${CI:-} == true ]] && echo ON || echo OFF)
cmake --preset dev -DWHARF_WERROR="$werror"
cmake --build --preset dev -j "${WHARF_BUILD_JOBS:-2}"
build_time=$(elapsed "$build_started")

# --- (c) peers ------------------------------------------------------------------------------
peers_dir=''
peers_time='none'
# shellcheck disable=SC2317 # invoked by the EXIT trap
stop_peers() {
  local status=$?
  if [[ -n $peers_dir ]]; then
    if ((status != 0)) && [[ ${CI:-} == true ]]; then
      # CI keeps nothing after the run, so the peer logs are printed while they still exist.
      for log in "$peers_dir"/*/log; do
        [[ -s $log ]] || continue
        say "last lines of ${log#"$peers_dir"/}:"
        tail -n 20 "$log" | sed 's/^/    /' >&2
      done
    fi
    peers_stop "$peers_dir" || say "could not stop every peer in $peers_dir (see above)"
  fi
  exit "$status"
}

if ((unit_only)); then
  ctest_args=(-L unit "${ctest_args[@]}")
else
  # shellcheck source=tools/peers.sh
  source "$root/tools/peers.sh"
  peers_dir=$(mktemp -d /tmp/wharf-peers.XXXXXX)
  trap stop_peers EXIT
  trap 'say "interrupted"; exit 130' INT
  trap 'say "terminated"; exit 143' TERM
  peers_started=$SECONDS
  if ! peers_start "$peers_dir"; then
    say "FAILED: the private peers did not start (see above); no tests were run"
    exit 1
  fi
  peers_time=$(elapsed "$peers_started")
  # shellcheck source=/dev/null
  source "$peers_dir/env"
fi

# --- (d) tests ------------------------------------------------------------------------------
tests_started=$SECONDS
ctest_log=$(mktemp /tmp/wharf-ctest.XXXXXX)
set +e
ctest --preset dev --output-on-failure --no-tests=error \
  --timeout "${WHARF_TEST_TIMEOUT:-300}" "${ctest_args[@]}" 2>&1 | tee "$ctest_log"
status=${PIPESTATUS[0]}
set -e
counts=$(grep -E '^[0-9]+% tests passed' "$ctest_log" | tail -n 1 || true)
rm -f "$ctest_log"

# --- (e) summary ----------------------------------------------------------------------------
scope=$([[ $unit_only == 1 ]] && echo 'unit only' || echo 'unit + integration')
verdict=$([[ $status == 0 ]] && echo PASSED || echo "FAILED (ctest exit $status)")
scope+=${ctest_args[*]:+, ctest ${ctest_args[*]}}
say "$verdict: ${counts:-no test summary from ctest} [$scope] in $(elapsed "$started")" \
  "(build $build_time, peers $peers_time, tests $(elapsed "$tests_started"))"
exit "$status"
