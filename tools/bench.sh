#!/usr/bin/env bash
# Side-by-side benchmarks, measured in one run on private peers (the local engine, and hosts
# 127.0.0.2 and 127.0.0.3: an sshd each in front of its own engine), written as a markdown
# table (stdout and build/bench/results.md). Compare ratios, not absolute figures: the machines
# are noisy. Not a test: nothing here passes or fails on a number.
#
# Usage: tools/bench.sh
# Environment: BENCH_RUNS (sequential single-task runs, default 10), BENCH_TASKS (tasks in the
# per-task and throughput rows, default 50), BENCH_RSS_TASKS (tasks in the peak-RSS row,
# default 1000), BENCH_OVERHEAD_ROUNDS (alternating blocks of the per-task rows, default 5),
# BENCH_SSH_TASKS (tasks in the per-task rows of a remote worker, default 20),
# BENCH_SPREAD_TASKS (tasks spread over three hosts, default 100), BENCH_REGISTRY_IMAGES (images
# in the many-images check rows, default 50), BENCH_REGISTRY_RUNS (single-image checks, default
# 20), BENCH_REGISTRY_ROUNDS (alternating rounds of the many-images rows, default 5),
# BENCH_UPDATE_RUNS (alternating runs of each side of the stack-update row, default 3),
# BENCH_ONLY (a comma list of the groups of rows to run: tasks, ssh, registry, update; default
# all of them, so that a change can be measured without the half hour of the others).
#
# The targets column holds issue 3's, 4's and 5's numbers for these 2-core machines. The rows
# that need `wharf dispatch --warm` appear only when this wharf has the flag (its --help lists
# it); the peak-RSS dispatch then uses the warm pool too, so 1000 tasks take minutes, not ten.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${BENCH_RUNS:-10}
tasks=${BENCH_TASKS:-50}
rss_tasks=${BENCH_RSS_TASKS:-1000}
overhead_rounds=${BENCH_OVERHEAD_ROUNDS:-5}
ssh_tasks=${BENCH_SSH_TASKS:-20}
spread_tasks=${BENCH_SPREAD_TASKS:-100}
registry_images=${BENCH_REGISTRY_IMAGES:-50}
registry_runs=${BENCH_REGISTRY_RUNS:-20}
registry_rounds=${BENCH_REGISTRY_ROUNDS:-5}
update_runs=${BENCH_UPDATE_RUNS:-3}
only=${BENCH_ONLY:-tasks,ssh,registry,update}
for group in ${only//,/ }; do
  case $group in
    tasks | ssh | registry | update) ;;
    *)
      echo "bench: BENCH_ONLY names '$group'; the groups are tasks, ssh, registry and update" >&2
      exit 2
      ;;
  esac
done
wants() { [[ ,$only, == *,$1,* ]]; } # group → true when its rows run

# shellcheck source=tools/deps.sh
source "$root/tools/deps.sh"
ensure_packages "${WHARF_BUILD_PACKAGES[@]}" "${WHARF_PEER_PACKAGES[@]}" time
cmake --preset release >/dev/null
cmake --build --preset release --target wharf wharf_bench_bare -j "${WHARF_BUILD_JOBS:-2}" \
  >/dev/null
wharf="$root/build/release/src/wharf"
bare="$root/build/release/tools/bench/wharf_bench_bare"

# shellcheck source=tools/peers.sh
source "$root/tools/peers.sh"
peers_dir=$(mktemp -d /tmp/wharf-peers.XXXXXX)
work=$(mktemp -d /tmp/wharf-bench.XXXXXX)
control_path=$work/cm.sock
cleanup() {
  # The ControlMaster of the SSH rows is the one process this script starts outside the peers
  # directory; ask exactly it to exit (it would also go with its sshd, or after ControlPersist).
  if [[ -S $control_path ]]; then
    "${ssh_a[@]}" -o ControlPath="$control_path" -O exit "$ssh_a_destination" >/dev/null 2>&1 ||
      true
  fi
  peers_stop "$peers_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# The SSH hosts get the worker image from the local engine below; the open registry is what
# the image-check rows ask.
families=docker
if wants registry || wants update; then families+=,registry; fi
if wants ssh; then families+=,ssh; fi
peers_start "$peers_dir" "$families"
# shellcheck source=/dev/null
source "$peers_dir/env"
export DOCKER_HOST=$WHARF_TEST_DOCKER_HOST
if [[ -n ${WHARF_TEST_REGISTRY:-} ]]; then
  # wharf and docker read the peers' own config.json, so this machine's logins and credential
  # helpers play no part.
  registry=$WHARF_TEST_REGISTRY
  if [[ $registry != 127.* ]]; then
    echo "bench: registry $registry is not a loopback address; refusing to benchmark it" >&2
    exit 1
  fi
  export DOCKER_CONFIG=$WHARF_TEST_DOCKER_CONFIG
fi
image=wharf/worker:dev
mkdir -p "$work/docker" "$work/home" && : >"$work/docker/.env"

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
field() { # name "k=v k=v …" → v
  tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k {print $2}'
}
at_least() { awk -v a="$1" -v b="$2" 'BEGIN {print (a >= b) ? "yes" : "no"}'; }
times_the() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN {print (a <= b) ? "yes" : "no"}'; }
time_dispatch() { # tasks-file logs-dir dispatch-options… → wall milliseconds of one dispatch
  local tasks_path=$1 logs=$2 start
  shift 2
  start=$(now_ms)
  "$wharf" -C "$work" dispatch --image "$image" --tasks "$tasks_path" --logs "$logs" "$@" \
    >/dev/null 2>&1
  echo $(($(now_ms) - start))
}
if "$wharf" dispatch --help 2>/dev/null | grep -q -- '--warm'; then
  has_warm=1
else
  has_warm=0
fi

if wants tasks; then
  echo "bench: $runs single runs, $tasks tasks per throughput row, $rss_tasks for peak RSS" >&2
  wharf_run_ms=$(time_runs "$wharf" -C "$work" run --image "$image" -- true)
  docker_run_ms=$(time_runs docker run --rm --network none "$image" true)
  # Output through the attach stream, as docker run reads it: 10 MiB of it per run.
  big_output=(head -c 10485760 /dev/zero)
  wharf_big_ms=$(time_runs "$wharf" -C "$work" run --image "$image" -- "${big_output[@]}")
  docker_big_ms=$(time_runs docker run --rm --network none "$image" "${big_output[@]}")

  tasks_file "$tasks" "$work/tasks.jsonl"
  # The floor and wharf on it: the same tasks one at a time, so the difference is wharf's own
  # work per task (scheduler, log follow and file, results), not parallelism. 3% is far less
  # than a shared 2-core machine drifts and jitters in a minute, so both sides run in
  # $overhead_rounds alternating blocks (bare first, then wharf first, …) and the row compares
  # the medians of the per-task times: the bare loop's own, and the duration_ms of each
  # dispatch attempt. Wall time per task (process start and scheduling included) is shown too.
  block=$(((tasks + overhead_rounds - 1) / overhead_rounds))
  tasks_file "$block" "$work/block.jsonl"
  : >"$work/bare.ms"
  : >"$work/wharf.ms"
  bare_wall=0
  serial_wall=0
  bare_block() {
    local out
    out=$("$bare" --image "$image" --tasks "$block" --times "$work/bare.ms")
    bare_wall=$((bare_wall + $(field total_ms "$out")))
  }
  serial_block() { # round
    serial_wall=$((serial_wall + $(time_dispatch "$work/block.jsonl" "$work/serial-logs" \
      --parallel 1 --results "$work/serial-$1.jsonl")))
    grep -o '"duration_ms":[0-9]*' "$work/serial-$1.jsonl" | cut -d: -f2 >>"$work/wharf.ms"
  }
  for ((round = 0; round < overhead_rounds; round++)); do
    if ((round % 2 == 0)); then
      bare_block
      serial_block "$round"
    else
      serial_block "$round"
      bare_block
    fi
  done
  measured=$((block * overhead_rounds))
  bare_median=$(median <"$work/bare.ms")
  serial_median=$(median <"$work/wharf.ms")
  bare_mean=$(awk -v ms="$bare_wall" -v n="$measured" 'BEGIN {printf "%.0f", ms / n}')
  serial_mean=$(awk -v ms="$serial_wall" -v n="$measured" 'BEGIN {printf "%.0f", ms / n}')
  serial_ratio=$(awk -v a="$serial_median" -v b="$bare_median" 'BEGIN {printf "%.3f", a / b}')

  dispatch_ms=$(time_dispatch "$work/tasks.jsonl" "$work/logs" --parallel 2)
  if ((has_warm)); then
    warm_ms=$(time_dispatch "$work/tasks.jsonl" "$work/warm-logs" --warm 2 --parallel 2)
  fi
  start=$(now_ms)
  seq "$tasks" | xargs -P4 -I{} docker run --rm --network none "$image" true >/dev/null 2>&1
  xargs_ms=$(($(now_ms) - start))

  tasks_file "$rss_tasks" "$work/rss.jsonl"
  if ((has_warm)); then
    rss_mode=(--warm 2 --parallel 2)
  else
    rss_mode=(--parallel 2)
  fi
  wharf_rss=$(/usr/bin/time -f %M "$wharf" -C "$work" dispatch --image "$image" \
    --tasks "$work/rss.jsonl" "${rss_mode[@]}" --logs "$work/rss-logs" 2>&1 >/dev/null |
    tail -n 1)
  docker_rss=$(/usr/bin/time -f %M docker run --rm --network none "$image" true 2>&1 >/dev/null |
    tail -n 1)
  rss_mib=$(awk -v kib="$wharf_rss" 'BEGIN {printf "%.1f", kib / 1024}')
fi

if wants ssh; then
  # --- A remote worker over SSH (issue 4) -----------------------------------------------------
  # Host a is 127.0.0.2: its sshd fronts engine a. Nothing here may leave loopback.
  for address in "$WHARF_TEST_SSH_HOST_A" "$WHARF_TEST_SSH_HOST_B"; do
    if [[ $address != 127.* ]]; then
      echo "bench: SSH host $address is not a loopback address; refusing to benchmark it" >&2
      exit 1
    fi
  done
  # peers.sh seeds only the local engine; hosts a and b get the very same image, so every row
  # runs one image and `--pull never` below can never reach for a registry.
  for engine in "$WHARF_TEST_DOCKER_HOST_A" "$WHARF_TEST_DOCKER_HOST_B"; do
    docker -H "$WHARF_TEST_DOCKER_HOST" save "$image" | docker -H "$engine" load >/dev/null
  done
  ssh_a=(ssh -F none -n -T -i "$WHARF_TEST_SSH_KEY" -o BatchMode=yes -o IdentitiesOnly=yes
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$WHARF_TEST_SSH_KNOWN_HOSTS"
    -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=10 -p "$WHARF_TEST_SSH_PORT_A")
  ssh_a_destination=$WHARF_TEST_SSH_USER@$WHARF_TEST_SSH_HOST_A
  # ControlPersist outlasts the longest gap between two uses in a round (the other rows' blocks),
  # so every timed task reuses the one master; the end of the script asks it to exit.
  ssh_a_master=("${ssh_a[@]}" -o ControlMaster=auto -o ControlPath="$control_path"
    -o ControlPersist=600)
  # The remote shell gets one string; every word is quoted, although none needs it today.
  printf -v remote_run '%q ' docker -H "unix://$WHARF_TEST_SSH_SOCKET_A" run --rm --network none \
    --pull never "$image" true

  inventory() { # path worker-json… → a workers file
    local path=$1 IFS=,
    shift
    printf '{"workers": [%s]}\n' "$*" >"$path"
  }
  local_worker() { printf '{"name": "here", "host": "local", "slots": %d}' "$1"; }
  ssh_worker() { # name A|B slots
    local host="WHARF_TEST_SSH_HOST_$2" port="WHARF_TEST_SSH_PORT_$2"
    local socket="WHARF_TEST_SSH_SOCKET_$2"
    printf '{"name": "%s", "host": "ssh://%s@%s:%s", "socket": "%s", "known_hosts": "%s",
      "identity_file": "%s", "slots": %d}' "$1" "$WHARF_TEST_SSH_USER" "${!host}" "${!port}" \
      "${!socket}" "$WHARF_TEST_SSH_KNOWN_HOSTS" "$WHARF_TEST_SSH_KEY" "$3"
  }
  inventory "$work/here-1.json" "$(local_worker 1)"
  inventory "$work/a-1.json" "$(ssh_worker a A 1)"

  # wharf as these rows run it: a HOME of its own and no ssh-agent, so this machine's
  # ~/.ssh/config, keys and agent cannot change which host, key or known_hosts it uses. Prints
  # the wall milliseconds; fails, with wharf's messages, unless every task ran and exited 0.
  workers_dispatch() { # inventory tasks-file results-file dispatch-options…
    local inventory=$1 tasks_path=$2 results=$3 start expected ok
    shift 3
    start=$(now_ms)
    if ! HOME="$work/home" SSH_AUTH_SOCK='' "$wharf" -C "$work" dispatch --image "$image" \
      --pull never --workers "$inventory" --tasks "$tasks_path" --results "$results" \
      --logs "$work/workers-logs" "$@" >/dev/null 2>"$work/dispatch.err"; then
      echo "bench: wharf dispatch --workers $inventory failed:" >&2
      cat "$work/dispatch.err" >&2
      return 1
    fi
    echo $(($(now_ms) - start))
    expected=$(wc -l <"$tasks_path")
    ok=$(grep -c '"exit_code":0,.*"status":"completed"' "$results" || true)
    if ((ok != expected)); then
      echo "bench: only $ok of $expected tasks in $results completed with exit code 0" >&2
      return 1
    fi
  }
  # Appends one wall time per run to a file; a run that fails ends the benchmark, because its
  # time would not be a task's.
  time_each() { # times-file count command…
    local file=$1 count=$2 i start
    shift 2
    for ((i = 0; i < count; i++)); do
      start=$(now_ms)
      if ! "$@" >/dev/null 2>"$work/each.err"; then
        echo "bench: '$*' failed:" >&2
        cat "$work/each.err" >&2
        return 1
      fi
      echo $(($(now_ms) - start)) >>"$file"
    done
  }
  ssh_block=$(((ssh_tasks + overhead_rounds - 1) / overhead_rounds))
  ssh_measured=$((ssh_block * overhead_rounds))
  tasks_file "$ssh_block" "$work/ssh-block.jsonl"
  declare -A walls=([here]=0 [a]=0)
  wharf_block() { # worker-name round
    local wall
    wall=$(workers_dispatch "$work/$1-1.json" "$work/ssh-block.jsonl" "$work/$1-$2.jsonl" \
      --parallel 1)
    walls[$1]=$((walls[$1] + wall))
    grep -o '"duration_ms":[0-9]*' "$work/$1-$2.jsonl" | cut -d: -f2 >>"$work/wharf-$1.ms"
  }
  # Each measurement of a round, by name; rounds alternate between this order and its reverse
  # so that drift on the shared machine lands on every side alike.
  measure() { # name round
    case $1 in
      wharf-here | wharf-a) wharf_block "${1#wharf-}" "$2" ;;
      docker-local)
        time_each "$work/docker-local.ms" "$ssh_block" \
          docker run --rm --network none --pull never "$image" true
        ;;
      ssh-new)
        time_each "$work/ssh-new.ms" "$ssh_block" \
          "${ssh_a[@]}" "$ssh_a_destination" "$remote_run"
        ;;
      ssh-master)
        time_each "$work/ssh-master.ms" "$ssh_block" \
          "${ssh_a_master[@]}" "$ssh_a_destination" "$remote_run"
        ;;
      # What a command costs through the master before docker starts: the channel and the
      # remote user's shell, whose start-up files run for every `ssh host command`.
      ssh-master-true)
        time_each "$work/ssh-master-true.ms" "$ssh_block" \
          "${ssh_a_master[@]}" "$ssh_a_destination" true
        ;;
    esac
  }
  echo "bench: remote worker over SSH, $ssh_measured tasks in $overhead_rounds blocks;" \
    "$spread_tasks tasks over three hosts" >&2
  # The first connection makes the master, outside any timing; stdin, stdout and stderr go to
  # /dev/null because the master keeps what it was given.
  "${ssh_a_master[@]}" "$ssh_a_destination" true </dev/null >/dev/null 2>&1
  master_pid() {
    "${ssh_a_master[@]}" -O check "$ssh_a_destination" 2>&1 | sed -n 's/.*pid=\([0-9]*\).*/\1/p'
  }
  first_master=$(master_pid)
  names=(wharf-here wharf-a docker-local ssh-new ssh-master ssh-master-true)
  for ((round = 0; round < overhead_rounds; round++)); do
    if ((round % 2 == 0)); then
      order=("${names[@]}")
    else
      order=()
      for ((i = ${#names[@]} - 1; i >= 0; i--)); do order+=("${names[i]}"); done
    fi
    for name in "${order[@]}"; do measure "$name" "$round"; done
  done
  if [[ -z $first_master || $(master_pid) != "$first_master" ]]; then
    echo "bench: the ControlMaster was not the same process throughout; its row would" \
      "include new connections" >&2
    exit 1
  fi
  "${ssh_a_master[@]}" -O exit "$ssh_a_destination" >/dev/null 2>&1
  declare -A per_task=()
  for name in wharf-here wharf-a docker-local ssh-new ssh-master ssh-master-true; do
    per_task[$name]=$(median <"$work/$name.ms")
  done
  # Extra milliseconds per task on host a over the same task on the local engine.
  extra() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.0f", a - b}'; }
  wharf_extra=$(extra "${per_task[wharf-a]}" "${per_task[wharf-here]}")
  ssh_new_extra=$(extra "${per_task[ssh-new]}" "${per_task[docker-local]}")
  ssh_master_extra=$(extra "${per_task[ssh-master]}" "${per_task[docker-local]}")
  wharf_wall_extra=$(awk -v a="${walls[a]}" -v b="${walls[here]}" -v n="$ssh_measured" \
    'BEGIN {printf "%+.0f", (a - b) / n}')
  extra_ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "—"; else printf "%.2f× the extra", a / b}'
  }

  # Spread over three hosts. All three engines share this machine's two cores, so the row shows
  # what carrying tasks over SSH costs in throughput, not how a real fleet scales; the local
  # engine alone with as many tasks at once is the fair baseline, one host's slots the other.
  tasks_file "$spread_tasks" "$work/spread.jsonl"
  inventory "$work/three.json" "$(local_worker 2)" "$(ssh_worker a A 2)" "$(ssh_worker b B 2)"
  inventory "$work/here-6.json" "$(local_worker 6)"
  inventory "$work/here-2.json" "$(local_worker 2)"
  spread_ms=$(workers_dispatch "$work/three.json" "$work/spread.jsonl" "$work/spread-three.jsonl")
  for worker in here a b; do
    if ! grep -q "\"worker\":\"$worker\"" "$work/spread-three.jsonl"; then
      echo "bench: worker $worker ran none of the $spread_tasks tasks" >&2
      exit 1
    fi
  done
  local6_ms=$(workers_dispatch "$work/here-6.json" "$work/spread.jsonl" "$work/spread-6.jsonl")
  local2_ms=$(workers_dispatch "$work/here-2.json" "$work/spread.jsonl" "$work/spread-2.jsonl")
fi

if wants registry; then
  # --- Checking images against a registry (issue 5) -------------------------------------------
  # The open registry of the peers holds one small image under $registry_images repositories,
  # pushed from the local engine, which therefore has every one of them up to date: the case a
  # check meets most, and the one where `docker pull` does the least.
  # The Accept header wharf sends for a tag (registry/manifest.cpp), so curl gets the same answer.
  manifest_accept="Accept: application/vnd.oci.image.index.v1+json"
  manifest_accept+=", application/vnd.docker.distribution.manifest.list.v2+json"
  manifest_accept+=", application/vnd.oci.image.manifest.v1+json"
  manifest_accept+=", application/vnd.docker.distribution.manifest.v2+json"
  : >"$work/check-images" && : >"$work/check-urls"
  for ((i = 1; i <= registry_images; i++)); do
    printf -v repository 'bench/app-%02d' "$i"
    echo "$registry/$repository:1.0" >>"$work/check-images"
    echo "http://$registry/v2/$repository/manifests/1.0" >>"$work/check-urls"
  done
  mapfile -t check_images <"$work/check-images"
  echo "bench: pushing ${#check_images[@]} images to $registry" >&2
  for reference in "${check_images[@]}"; do docker tag "$image" "$reference"; done
  if ! xargs -P4 -n1 docker push -q <"$work/check-images" >"$work/push.log" 2>&1; then
    echo "bench: docker push to $registry failed:" >&2
    cat "$work/push.log" >&2
    exit 1
  fi

  # Runs a command with its output discarded and sets $elapsed_us to its wall time, read from
  # bash's own clock: a `date` forked on each side of a 15 ms process would cost about as much as
  # the process. A failure ends the benchmark, because its time would not be a check's (an image
  # that is not up to date makes `wharf images check` exit 1).
  timed() { # command…
    local start end
    start=${EPOCHREALTIME/[.,]/}
    if ! "$@" >/dev/null 2>"$work/timed.err"; then
      echo "bench: '$*' failed:" >&2
      cat "$work/timed.err" >&2
      exit 1
    fi
    end=${EPOCHREALTIME/[.,]/}
    elapsed_us=$((end - start))
  }
  head_manifest() { curl -sSfI -H "$manifest_accept" "$1"; }
  head_each() { # urls-file: one curl process per image, one after the other
    local url
    while read -r url; do head_manifest "$url" || return 1; done <"$1"
  }
  head_parallel() { # urls-file: one curl process per image, 8 at once like wharf's requests
    xargs -P8 -n1 curl -sSfI -H "$manifest_accept" <"$1"
  }
  # Each measurement by name; the order alternates between runs (rounds) so that drift on the
  # shared machine lands on every side alike.
  check_measure() { # name
    case $1 in
      wharf-one) timed "$wharf" images check "${check_images[0]}" ;;
      curl-one) timed head_manifest "$(head -n 1 "$work/check-urls")" ;;
      pull-one) timed docker pull -q "${check_images[0]}" ;;
      wharf-many) timed "$wharf" images check "${check_images[@]}" ;;
      curl-many) timed head_each "$work/check-urls" ;;
      xargs-many) timed head_parallel "$work/check-urls" ;;
    esac
    echo "$elapsed_us" >>"$work/$1.us"
  }
  check_rounds() { # count name…
    local count=$1 round name i
    shift
    local -a names=("$@")
    for ((round = 0; round < count; round++)); do
      if ((round % 2 == 0)); then
        for name in "${names[@]}"; do check_measure "$name"; done
      else
        for ((i = ${#names[@]} - 1; i >= 0; i--)); do check_measure "${names[i]}"; done
      fi
    done
  }
  echo "bench: image checks, $registry_runs single-image runs and $registry_rounds rounds of" \
    "${#check_images[@]} images" >&2
  # One untimed pass of each, so no row pays for the first look at the image store.
  check_rounds 1 wharf-one curl-one pull-one wharf-many
  rm -f "$work"/*.us
  check_rounds "$registry_runs" wharf-one curl-one pull-one
  check_rounds "$registry_rounds" wharf-many curl-many xargs-many
  declare -A check_ms=()
  for name in wharf-one curl-one pull-one wharf-many curl-many xargs-many; do
    check_ms[$name]=$(median <"$work/$name.us" | awk '{printf "%.1f", $1 / 1000}')
  done
fi

# --- Updating a stack: wharf update vs docker-compose up -d (issue 6) ------------------------
# One service on the private engine (network none, never a bridge), its image built FROM the
# worker image in two releases and pushed to the open registry. Both sides start from release
# A as docker-compose made it, so the container carries compose's own labels, and go to B:
# `wharf update` (git pull, VERSION, .env, registry check and pull, recreate, health wait) in a
# git project like the integration tests build, and IMAGE_TAG edited by hand followed by
# `docker-compose up -d`. Downtime is the old container's `die` to the new one's
# `health_status: healthy`, both from the engine's own events; the total runs from the
# command's start to that same event, so the two sides are timed alike although
# `docker-compose up -d` returns before its container is healthy.
if wants update; then
  ensure_packages docker-compose
  if [[ -z ${registry:-} ]]; then
    echo "bench: the stack-update rows need the peers' open registry" >&2
    exit 1
  fi
  stack=$work/stack
  stack_project=wharfbench$$
  app_image=$registry/bench/update-$stack_project
  release_a=1.0.0
  release_b=1.1.0
  stack_git() { git -C "$1" -c user.name=bench -c user.email=bench@wharf.invalid "${@:2}"; }
  git init -q --bare --initial-branch=main "$stack/origin.git"
  git clone -q "$stack/origin.git" "$stack/dev" 2>/dev/null
  mkdir -p "$stack/dev/docker"
  printf 'docker/.env\ndocker/.wharf/\n' >"$stack/dev/.gitignore"
  # The interval is short so that the health wait, the same on both sides, does not hide the
  # difference; the command ends at once on SIGTERM, so neither side waits out a stop timeout.
  cat >"$stack/dev/docker/docker-compose.yml" <<'YAML'
services:
  app:
    image: ${APP_IMAGE}:${IMAGE_TAG}
    network_mode: none
    healthcheck:
      test: ["CMD", "test", "-f", "/healthy"]
      interval: 500ms
      timeout: 1s
      retries: 3
YAML
  for version in "$release_a" "$release_b"; do
    echo "v$version" >"$stack/dev/VERSION"
    stack_git "$stack/dev" add -A
    stack_git "$stack/dev" commit -q -m "release $version"
    stack_git "$stack/dev" tag "v$version"
    stack_git "$stack/dev" push -q origin HEAD:main "v$version"
    mkdir -p "$stack/context-$version"
    echo yes >"$stack/context-$version/healthy"
    cat >"$stack/context-$version/Dockerfile" <<DOCKERFILE
FROM $image
ENV APP_RELEASE=$version
COPY healthy /healthy
CMD ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait \$!; done"]
DOCKERFILE
    DOCKER_BUILDKIT=0 docker build -q --network none -t "$app_image:$version" \
      "$stack/context-$version" >/dev/null
    docker push -q "$app_image:$version" >/dev/null
  done
  git clone -q "$stack/origin.git" "$stack/project" 2>/dev/null
  compose() { (cd "$stack/project/docker" && docker-compose "$@"); }
  set_tag() {
    printf 'COMPOSE_PROJECT_NAME=%s\nIMAGE_TAG=%s\nAPP_IMAGE=%s\n' "$stack_project" "$1" \
      "$app_image" >"$stack/project/docker/.env"
  }
  stack_id() { # → the full id of the stack's one healthy container, if it has one
    docker ps -q --no-trunc --filter "label=com.docker.compose.project=$stack_project" \
      --filter health=healthy
  }
  wait_healthy_other_than() { # id → waits until the stack's healthy container is another one
    local i id
    for ((i = 0; i < 600; i++)); do
      id=$(stack_id)
      if [[ -n $id && $id != "$1" ]]; then return 0; fi
      sleep 0.1
    done
    echo "bench: the stack did not become healthy on a new container within a minute" >&2
    return 1
  }
  # Release A as docker-compose makes it. No --force-recreate: the image moves, and a container
  # wharf recreated has no compose config hash, so compose replaces it by itself (which is also
  # the check that compose still owns what wharf recreated).
  stack_to_a() {
    local before
    before=$(stack_id)
    stack_git "$stack/project" reset -q --hard "v$release_a"
    set_tag "$release_a"
    if ! compose up -d >"$work/compose.log" 2>&1; then
      echo "bench: docker-compose up -d failed:" >&2
      cat "$work/compose.log" >&2
      return 1
    fi
    wait_healthy_other_than "${before:-none}"
  }
  # Reads the engine's events since $1 and appends "downtime total" in milliseconds to $2.
  stack_events() { # since-epoch-µs-string file old-id
    local since=$1 file=$2 old=$3
    docker events --since "${since:0:10}.${since:10}" --until "$(date +%s.%N)" \
      --filter type=container --format '{{.TimeNano}} {{.Actor.ID}} {{.Action}}' |
      awk -v old="$old" -v since="$since" '
        $2 == old && $3 == "die" && !die {die = $1}
        $2 != old && $3 == "health_status:" && $4 == "healthy" && !healthy {healthy = $1}
        END {
          if (!die || !healthy) exit 1
          printf "%.0f %.0f\n", (healthy - die) / 1e6, (healthy / 1e3 - since) / 1e3
        }' >>"$file"
  }
  update_measure() { # wharf|compose
    local old start now
    stack_to_a
    old=$(stack_id)
    start=${EPOCHREALTIME/[.,]/}
    case $1 in
      wharf)
        if ! HOME="$work/home" "$wharf" -C "$stack/project" update --strategy recreate --settle 1 --timeout 60 \
          >/dev/null 2>"$work/update.err"; then
          echo "bench: wharf update failed:" >&2
          cat "$work/update.err" >&2
          return 1
        fi
        echo $(((${EPOCHREALTIME/[.,]/} - start) / 1000)) >>"$work/update-wharf-wall.ms"
        ;;
      compose)
        set_tag "$release_b"
        if ! compose up -d >"$work/compose.log" 2>&1; then
          echo "bench: docker-compose up -d failed:" >&2
          cat "$work/compose.log" >&2
          return 1
        fi
        wait_healthy_other_than "$old"
        ;;
    esac
    now=$(docker inspect -f '{{.Config.Image}}' "$(stack_id)")
    if [[ $now != "$app_image:$release_b" ]]; then
      echo "bench: after $1 the stack does not run $app_image:$release_b" >&2
      return 1
    fi
    if ! stack_events "$start" "$work/update-$1.ms" "$old"; then
      echo "bench: the engine's events show no die of $old and healthy of another" >&2
      return 1
    fi
  }
  echo "bench: stack update, $update_runs alternating runs of wharf update and" \
    "docker-compose up -d" >&2
  : >"$work/update-wharf.ms" && : >"$work/update-compose.ms" && : >"$work/update-wharf-wall.ms"
  for ((round = 0; round < update_runs; round++)); do
    if ((round % 2 == 0)); then
      update_measure wharf
      update_measure compose
    else
      update_measure compose
      update_measure wharf
    fi
  done
  compose down >/dev/null 2>&1
  if [[ -n $(docker network ls -q --filter "name=$stack_project") ]]; then
    echo "bench: docker-compose made a network for the stack; no row may use one" >&2
    exit 1
  fi
  declare -A stack_ms=()
  for side in wharf compose; do
    stack_ms[$side-down]=$(cut -d' ' -f1 "$work/update-$side.ms" | median)
    stack_ms[$side-total]=$(cut -d' ' -f2 "$work/update-$side.ms" | median)
  done
  stack_ms[wharf-wall]=$(median <"$work/update-wharf-wall.ms")
  compose_version=$(docker-compose version --short 2>/dev/null || echo '?')
fi
update_rows() {
  echo "| one service updated from release A to B, downtime (old container's die → new one healthy), median of $update_runs alternating runs (ms) | ${stack_ms[wharf-down]} (wharf update, recreate through the Engine API) | ${stack_ms[compose-down]} (IMAGE_TAG edited, docker-compose $compose_version up -d) | $(times_the "${stack_ms[wharf-down]}" "${stack_ms[compose-down]}") the time | — | |"
  echo "| the same, total: command start → new container healthy, median (ms) | ${stack_ms[wharf-total]} (git pull, VERSION, .env, registry check and pull, recreate, health; the process ends at ${stack_ms[wharf-wall]}) | ${stack_ms[compose-total]} (up -d of an image already pulled) | $(times_the "${stack_ms[wharf-total]}" "${stack_ms[compose-total]}") the time | — | |"
}

mkdir -p "$root/build/bench"
{
  echo "| measurement | wharf | baseline | wharf vs baseline | target | met |"
  echo "| --- | --- | --- | --- | --- | --- |"
  if wants tasks; then
    echo "| one trivial task, median of $runs (ms) | $wharf_run_ms (wharf run) | $docker_run_ms (docker run --rm) | $(times_the "$wharf_run_ms" "$docker_run_ms") the time | ≤ 1× | $(at_most "$wharf_run_ms" "$docker_run_ms") |"
    echo "| one task writing 10 MiB to stdout, median of $runs (ms) | $wharf_big_ms (wharf run) | $docker_big_ms (docker run --rm) | $(times_the "$wharf_big_ms" "$docker_big_ms") the time | ≤ 1× | $(at_most "$wharf_big_ms" "$docker_big_ms") |"
    echo "| $measured trivial tasks one at a time in $overhead_rounds alternating blocks (ms per task: median; wall mean) | $(printf '%.0f' "$serial_median"); $serial_mean (dispatch --parallel 1) | $(printf '%.0f' "$bare_median"); $bare_mean (bare create/start/wait/remove over one keep-alive connection) | $serial_ratio× the time (median) | ≤ 1.03× | $(at_most "$serial_ratio" 1.03) |"
    echo "| $tasks trivial tasks (tasks/s) | $(rate "$tasks" "$dispatch_ms") (dispatch --parallel 2) | $(rate "$tasks" "$xargs_ms") (xargs -P4 docker run) | $(awk -v a="$xargs_ms" -v b="$dispatch_ms" 'BEGIN {printf "%.2f× the rate", a / b}') | ≥ 2.3 | $(at_least "$(rate "$tasks" "$dispatch_ms")" 2.3) |"
    if ((has_warm)); then
      echo "| $tasks trivial tasks, warm pool (tasks/s) | $(rate "$tasks" "$warm_ms") (dispatch --warm 2) | $(rate "$tasks" "$xargs_ms") (xargs -P4 docker run) | $(awk -v a="$xargs_ms" -v b="$warm_ms" 'BEGIN {printf "%.2f× the rate", a / b}') | ≥ 8 | $(at_least "$(rate "$tasks" "$warm_ms")" 8) |"
    fi
    echo "| peak RSS (MiB) | $rss_mib (dispatch ${rss_mode[*]} of $rss_tasks tasks) | $((docker_rss / 1024)) (one docker CLI process) | | ≤ 16 | $(at_most "$rss_mib" 16) |"
  fi
  if wants ssh; then
    echo "| a remote worker over SSH: extra per task over the same task locally, $ssh_measured trivial tasks one at a time in $overhead_rounds alternating blocks (ms, medians) | $wharf_extra = ${per_task[wharf-a]} − ${per_task[wharf-here]} (dispatch --workers --parallel 1, one SSH session; wall per task: $wharf_wall_extra, with one SSH connect per dispatch of $ssh_block) | $ssh_new_extra = ${per_task[ssh-new]} − ${per_task[docker-local]} (ssh host docker run, a new connection per task, vs docker run) | $(extra_ratio "$wharf_extra" "$ssh_new_extra") | ≤ +10 | $(at_most "$wharf_extra" 10) |"
    echo "| the same, against OpenSSH with a ControlMaster (ms, medians) | $wharf_extra (as above) | $ssh_master_extra = ${per_task[ssh-master]} − ${per_task[docker-local]} (ssh host docker run through one master; of it, ssh host true alone: ${per_task[ssh-master-true]}, the channel and the remote user's shell start-up) | $(extra_ratio "$wharf_extra" "$ssh_master_extra") | (above) | |"
    echo "| $spread_tasks trivial tasks over three hosts sharing these 2 cores (tasks/s) | $(rate "$spread_tasks" "$spread_ms") (dispatch --workers local + a + b over SSH, 2 slots each) | $(rate "$spread_tasks" "$local6_ms") (local alone, 6 at once); $(rate "$spread_tasks" "$local2_ms") (local alone, 2 at once) | $(awk -v a="$local6_ms" -v b="$spread_ms" 'BEGIN {printf "%.2f× the rate", a / b}') (vs 6 at once) | — | |"
  fi
  if wants registry; then
    echo "| one image checked against the registry, a whole process, median of $registry_runs (ms) | ${check_ms[wharf-one]} (wharf images check: asks the engine too) | ${check_ms[curl-one]} (curl -sI of the manifest); ${check_ms[pull-one]} (docker pull of the up-to-date image) | $(times_the "${check_ms[wharf-one]}" "${check_ms[curl-one]}") curl's time; $(times_the "${check_ms[wharf-one]}" "${check_ms[pull-one]}") docker pull's | ≤ 15 | $(at_most "${check_ms[wharf-one]}" 15) |"
    echo "| ${#check_images[@]} images checked, median of $registry_rounds alternating rounds (ms) | ${check_ms[wharf-many]} (one wharf images check) | ${check_ms[curl-many]} (${#check_images[@]} curl -sI one after the other); ${check_ms[xargs-many]} (xargs -P8 curl -sI) | $(times_the "${check_ms[wharf-many]}" "${check_ms[curl-many]}") the sequential curls' time; $(times_the "${check_ms[wharf-many]}" "${check_ms[xargs-many]}") xargs -P8's | ≤ 500 | $(at_most "${check_ms[wharf-many]}" 500) |"
  fi
  if wants update; then
    update_rows
  fi
} | tee "$root/build/bench/results.md"
