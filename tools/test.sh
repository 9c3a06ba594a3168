#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing (as root, from Debian packages),
# builds with the dev preset, starts the private peers (tools/peers.sh), runs ctest against
# them, stops the peers whatever happens, and exits with ctest's status.
#
# Usage: tools/test.sh [--unit-only] [CTEST-ARGS...]
#   --unit-only   build, then run only tests labelled "unit"; no peers, no root needed
#   CTEST-ARGS    passed to ctest, e.g. -R Peers, -L integration, -V
# Environment: WHARF_BUILD_JOBS (default: Ninja's, cores + 2), WHARF_TEST_TIMEOUT (seconds per
# test without its own TIMEOUT property, default 300).
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
# Ninja's own default (cores + 2 jobs) keeps both cores busy while a job waits on the disk or on
# ccache; WHARF_BUILD_JOBS overrides it.
cmake --build --preset dev ${WHARF_BUILD_JOBS:+-j "$WHARF_BUILD_JOBS"}
build_time=$(elapsed "$build_started")

# --- (c) peers ------------------------------------------------------------------------------
# The integration tests run in lanes at once, each against its own private set of peers, so that
# one lane's waits (health checks, timeouts, settle times) overlap the others' work and no test
# sees another lane's containers, images or registry requests. The split follows the per-test
# times ctest prints: the update tests take as long as all the others together, so they get two
# lanes (compose strategy and runtime in the third). Lane 1 also runs the unit tests beside its
# integration tests (ctest -j2; integration tests hold RESOURCE_LOCK peers). With a selection of
# the caller's (-R …, -L …) everything runs in one lane.
lane_filters=(
  '-LE ^integration_update$ -E ^RuntimeTest\.'
  '-L ^integration_update$ -E ^ComposeStrategyTest\.'
  '-R ^(ComposeStrategyTest|RuntimeTest)\.'
)
if ((unit_only)); then
  lane_filters=('-L unit')
elif ((${#ctest_args[@]})); then
  lane_filters=('')
fi
lanes=${#lane_filters[@]}
peers_dirs=()
peers_time='none'
# shellcheck disable=SC2317 # invoked by the EXIT trap
stop_peers() {
  local status=$? dir
  for dir in "${peers_dirs[@]}"; do
    if ((status != 0)) && [[ ${CI:-} == true ]]; then
      # CI keeps nothing after the run, so the peer logs are printed while they still exist.
      for log in "$dir"/*/log; do
        [[ -s $log ]] || continue
        say "last lines of ${log#"$dir"/} ($dir):"
        tail -n 20 "$log" | sed 's/^/    /' >&2
      done
    fi
    peers_stop "$dir" || say "could not stop every peer in $dir (see above)"
  done
  exit "$status"
}

if ((!unit_only)); then
  # shellcheck source=tools/peers.sh
  source "$root/tools/peers.sh"
  trap stop_peers EXIT
  trap 'say "interrupted"; exit 130' INT
  trap 'say "terminated"; exit 143' TERM
  peers_started=$SECONDS
  for ((lane = 0; lane < lanes; lane++)); do
    peers_dirs+=("$(mktemp -d /tmp/wharf-peers.XXXXXX)")
  done
  # The sets start at once; each start fails on its own, naming the peer and its log.
  peers_logs=()
  pids=()
  for ((lane = 0; lane < lanes; lane++)); do
    peers_logs+=("$(mktemp /tmp/wharf-peers-start.XXXXXX)")
    peers_start "${peers_dirs[lane]}" >"${peers_logs[lane]}" 2>&1 &
    pids+=($!)
  done
  failed=0
  for ((lane = 0; lane < lanes; lane++)); do
    wait "${pids[lane]}" || failed=1
    cat "${peers_logs[lane]}" >&2
    rm -f "${peers_logs[lane]}"
  done
  if ((failed)); then
    say "FAILED: the private peers did not start (see above); no tests were run"
    exit 1
  fi
  peers_time=$(elapsed "$peers_started")
fi

# --- (d) tests ------------------------------------------------------------------------------
tests_started=$SECONDS
# run_lane INDEX LOG CTEST-ARGS...: ctest against lane INDEX's peers (none with --unit-only).
run_lane() {
  local index=$1 log=$2
  shift 2
  (
    if ((${#peers_dirs[@]} > index)); then
      # shellcheck source=/dev/null
      source "${peers_dirs[index]}/env"
    fi
    ctest --preset dev --output-on-failure -j 2 --no-tests=error \
      --timeout "${WHARF_TEST_TIMEOUT:-300}" "$@" >"$log" 2>&1
  )
}
# Tests are discovered when ctest starts (DISCOVERY_MODE PRE_TEST), which writes each
# executable's test list into the build folder: done once here, so the lanes only read them.
ctest --preset dev -N >/dev/null
lane_logs=()
lane_pids=()
set +e
for ((lane = 0; lane < lanes; lane++)); do
  lane_logs+=("$(mktemp /tmp/wharf-ctest.XXXXXX)")
  # shellcheck disable=SC2086 # a lane's filter is a list of ctest arguments
  run_lane "$lane" "${lane_logs[lane]}" ${lane_filters[lane]} "${ctest_args[@]}" &
  lane_pids+=($!)
done
# Lane 1 is shown as it runs; the others when they are done, so lanes never interleave.
tail -n +1 -f "${lane_logs[0]}" --pid "${lane_pids[0]}" &
tail_pid=$!
status=0
for ((lane = 0; lane < lanes; lane++)); do
  wait "${lane_pids[lane]}"
  lane_status=$?
  ((lane_status == 0)) || status=$lane_status
done
wait "$tail_pid" 2>/dev/null
for ((lane = 1; lane < lanes; lane++)); do
  printf '\n==== lane %d (ctest %s) ====\n' "$((lane + 1))" "${lane_filters[lane]}"
  cat "${lane_logs[lane]}"
done
set -e
counts=()
for ((lane = 0; lane < lanes; lane++)); do
  counts+=("lane $((lane + 1)): $(grep -E '^[0-9]+% tests passed' "${lane_logs[lane]}" |
    tail -n 1 || echo 'no test summary from ctest')")
done
rm -f "${lane_logs[@]}"

# --- (e) summary ----------------------------------------------------------------------------
scope=$([[ $unit_only == 1 ]] && echo 'unit only' || echo 'unit + integration')
verdict=$([[ $status == 0 ]] && echo PASSED || echo "FAILED (ctest exit $status)")
scope+=${ctest_args[*]:+, ctest ${ctest_args[*]}}
say "$verdict: $(IFS=';'; echo "${counts[*]}") [$scope] in $(elapsed "$started")" \
  "(build $build_time, peers $peers_time, tests $(elapsed "$tests_started"))"
exit "$status"
