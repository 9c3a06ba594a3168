#!/usr/bin/env bash
# Side-by-side benchmarks, measured in one run on one private engine, written as a markdown
# table (stdout and build/bench/results.md). Compare ratios, not absolute figures: the machines
# are noisy. Not a test: nothing here passes or fails on a number.
#
# Usage: tools/bench.sh
# Environment: BENCH_RUNS (sequential single-task runs, default 10), BENCH_TASKS (tasks in the
# throughput rows, default 50), BENCH_RSS_TASKS (tasks in the peak-RSS row, default 1000).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${BENCH_RUNS:-10}
tasks=${BENCH_TASKS:-50}
rss_tasks=${BENCH_RSS_TASKS:-1000}

# shellcheck source=tools/deps.sh
source "$root/tools/deps.sh"
ensure_packages "${WHARF_BUILD_PACKAGES[@]}" "${WHARF_PEER_PACKAGES[@]}" time
cmake --preset release >/dev/null
cmake --build --preset release --target wharf -j "${WHARF_BUILD_JOBS:-2}" >/dev/null
wharf="$root/build/release/src/wharf"

# shellcheck source=tools/peers.sh
source "$root/tools/peers.sh"
peers_dir=$(mktemp -d /tmp/wharf-peers.XXXXXX)
work=$(mktemp -d /tmp/wharf-bench.XXXXXX)
trap 'peers_stop "$peers_dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
peers_start "$peers_dir" docker
# shellcheck source=/dev/null
source "$peers_dir/env"
export DOCKER_HOST=$WHARF_TEST_DOCKER_HOST
image=wharf/worker:dev
mkdir -p "$work/docker" && : >"$work/docker/.env"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
time_runs() { # command... → median milliseconds over $runs sequential runs
  local i start
  for ((i = 0; i < runs; i++)); do
    start=$(now_ms)
    "$@" >/dev/null 2>&1
    echo $(($(now_ms) - start))
  done | median
}
tasks_file() { # count path
  local i
  for ((i = 1; i <= $1; i++)); do printf '{"id": "t%d", "args": ["true"]}\n' "$i"; done >"$2"
}
rate() { awk -v n="$1" -v ms="$2" 'BEGIN {printf "%.2f", n / (ms / 1000)}'; }

echo "bench: $runs single runs, $tasks tasks per throughput row, $rss_tasks for peak RSS" >&2
wharf_run_ms=$(time_runs "$wharf" -C "$work" run --image "$image" -- true)
docker_run_ms=$(time_runs docker run --rm --network none "$image" true)

tasks_file "$tasks" "$work/tasks.jsonl"
start=$(now_ms)
"$wharf" -C "$work" dispatch --image "$image" --tasks "$work/tasks.jsonl" --parallel 2 \
  --logs "$work/logs" >/dev/null 2>&1
dispatch_ms=$(($(now_ms) - start))
start=$(now_ms)
seq "$tasks" | xargs -P4 -I{} docker run --rm --network none "$image" true >/dev/null 2>&1
xargs_ms=$(($(now_ms) - start))

tasks_file "$rss_tasks" "$work/rss.jsonl"
wharf_rss=$(/usr/bin/time -f %M "$wharf" -C "$work" dispatch --image "$image" \
  --tasks "$work/rss.jsonl" --parallel 2 --logs "$work/rss-logs" 2>&1 >/dev/null | tail -n 1)
docker_rss=$(/usr/bin/time -f %M docker run --rm --network none "$image" true 2>&1 >/dev/null |
  tail -n 1)

mkdir -p "$root/build/bench"
{
  echo "| measurement | wharf | baseline | wharf vs baseline |"
  echo "| --- | --- | --- | --- |"
  echo "| one trivial task, median of $runs (ms) | $wharf_run_ms (wharf run) | $docker_run_ms (docker run --rm) | $(awk -v a="$wharf_run_ms" -v b="$docker_run_ms" 'BEGIN {printf "%.2f× the time", a / b}') |"
  echo "| $tasks trivial tasks (tasks/s) | $(rate "$tasks" "$dispatch_ms") (dispatch --parallel 2) | $(rate "$tasks" "$xargs_ms") (xargs -P4 docker run) | $(awk -v a="$xargs_ms" -v b="$dispatch_ms" 'BEGIN {printf "%.2f× the rate", a / b}') |"
  echo "| peak RSS (MiB) | $((wharf_rss / 1024)) (dispatch of $rss_tasks tasks) | $((docker_rss / 1024)) (one docker CLI process) | |"
} | tee "$root/build/bench/results.md"
