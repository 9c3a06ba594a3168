#!/usr/bin/env bash
# The main job, end to end on one machine: build wharf, pin a release in a demo project, check
# it, compute the tags a release pushes, then run tasks on worker containers at that tag through
# the Docker Engine API. Uses the running Docker engine (DOCKER_HOST or /var/run/docker.sock) if
# there is one, else starts a private one and stops it again. Leaves nothing behind.
#
# Usage: tools/demo.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Shows a command the way it can be pasted back into a shell (each word quoted as needed),
# then runs it.
show() { printf '$'; printf ' %q' "$@"; printf '\n'; "$@"; }

# shellcheck source=tools/deps.sh
source "$root/tools/deps.sh"
ensure_packages "${WHARF_BUILD_PACKAGES[@]}" "${WHARF_PEER_PACKAGES[@]}"

step "build"
cmake --preset release >/dev/null
cmake --build --preset release --target wharf -j "${WHARF_BUILD_JOBS:-2}"
wharf_bin="$root/build/release/src/wharf"
wharf() { "$wharf_bin" "$@"; }

work=$(mktemp -d /tmp/wharf-demo.XXXXXX)
peers_dir=''
demo_image=''
cleanup() {
  local status=$?
  if [[ -n $demo_image ]]; then
    docker rmi "$demo_image" >/dev/null 2>&1 || true
  fi
  if [[ -n $peers_dir ]]; then
    peers_stop "$peers_dir" || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "an engine"
engine_answers() { # address
  curl -fsS --max-time 3 --unix-socket "${1#unix://}" http://engine/_ping >/dev/null 2>&1
}
if [[ -n ${DOCKER_HOST:-} ]]; then
  echo "using the engine at DOCKER_HOST=$DOCKER_HOST"
elif engine_answers unix:///var/run/docker.sock; then
  export DOCKER_HOST=unix:///var/run/docker.sock
  echo "using the running engine at $DOCKER_HOST"
else
  echo "no engine is running: starting a private one (tools/peers.sh)"
  # shellcheck source=tools/peers.sh
  source "$root/tools/peers.sh"
  peers_dir=$(mktemp -d /tmp/wharf-peers.XXXXXX)
  peers_start "$peers_dir" docker
  # shellcheck source=/dev/null
  source "$peers_dir/env"
  export DOCKER_HOST=$WHARF_TEST_DOCKER_HOST
  echo "private engine at $DOCKER_HOST"
fi

# A worker image made from busybox, so the demo needs no registry and no internet.
demo_image=wharf-demo/worker:1.2.0
rootfs="$work/rootfs"
mkdir -p "$rootfs/bin"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in sh echo cat sleep env printf true false uname; do
  ln -s busybox "$rootfs/bin/$applet"
done
tar -C "$rootfs" -c . | docker -H "$DOCKER_HOST" import - "$demo_image" >/dev/null
echo "worker image $demo_image imported"

step "pin: the git tag becomes the truth"
project="$work/project"
mkdir -p "$project/docker"
sed -e 's|^WORKER_IMAGE=.*|WORKER_IMAGE=wharf-demo/worker|' \
  -e 's|^COMPOSE_PROJECT_NAME=.*|COMPOSE_PROJECT_NAME=wharf-demo|' \
  docker/.env.example >"$project/docker/.env.example"
cd "$project"
git init -q -b main
git -c user.email=demo@wharf.invalid -c user.name=demo commit -q --allow-empty -m "first"
git tag v1.1.0
git -c user.email=demo@wharf.invalid -c user.name=demo commit -q --allow-empty -m "second"
git tag v1.2.0
show wharf pin
show cat VERSION
show grep '^IMAGE_TAG=' docker/.env
show wharf pin --check

step "a hand edit is caught"
sed -i 's/^IMAGE_TAG=.*/IMAGE_TAG=1.1.0/' docker/.env
show wharf pin --check || echo "(exit $? — as it should)"
show wharf pin >/dev/null

step "release: which tags does v1.2.0 push?"
show wharf release tags --image registry.invalid/acme/worker
show wharf release tags v1.1.1

step "run: one task on a worker container at the pinned tag (wharf-demo/worker:1.2.0)"
show wharf run -e GREETING=hello -- sh -c 'echo "$GREETING from a worker; args: $*"' task 'a b' '$(not run)'

step "dispatch: 8 tasks, 2 at a time; one fails and one times out on purpose"
{
  for i in 1 2 3 4 5 6; do
    printf '{"id": "square-%s", "args": ["sh", "-c", "echo $((%s * %s))"]}\n' "$i" "$i" "$i"
  done
  printf '{"id": "fails", "args": ["sh", "-c", "echo broken >&2; exit 3"]}\n'
  printf '{"id": "slow", "args": ["sleep", "30"], "timeout": 1}\n'
} >tasks.jsonl
show cat tasks.jsonl
show wharf dispatch --tasks tasks.jsonl --parallel 2 --results results.jsonl --logs logs ||
  echo "(exit $? — one task failed and one timed out, as planned)"
show cat results.jsonl
show cat logs/square-6.log
echo
echo "no container of the demo is left:"
show docker -H "$DOCKER_HOST" ps -a --filter label=wharf.run --format '{{.Names}}'
