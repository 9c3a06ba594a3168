#!/usr/bin/env bash
# Private peers for wharf's integration tests: three Docker engines ("local", "a", "b"), two
# registries (one open, one behind htpasswd) and two SSH hosts (127.0.0.2 -> engine "a",
# 127.0.0.3 -> engine "b"). Everything listens on loopback only and lives in one directory,
# which also records every process started, so `stop` ends exactly those and nothing else.
#
# CLI:
#   tools/peers.sh start [--only FAMILIES] [DIR]   FAMILIES: comma list of docker,registry,ssh
#                                                  (default: all). Without DIR a fresh
#                                                  /tmp/wharf-peers.XXXXXX is made and printed.
#   tools/peers.sh stop DIR                        idempotent; removes DIR
# Library (source this file; it changes no shell options of the caller):
#   peers_start DIR [FAMILIES]    returns non-zero, naming the peer and its log, on any failure
#   peers_stop DIR
# After a successful start, DIR/env is a sourceable file of exported WHARF_TEST_* variables.
#
# Tunables: WHARF_PEERS_START_TIMEOUT (seconds per peer, default 60),
#           WHARF_PEERS_STOP_GRACE (seconds before SIGKILL, default 30).

PEERS_START_TIMEOUT=${WHARF_PEERS_START_TIMEOUT:-60}
PEERS_STOP_GRACE=${WHARF_PEERS_STOP_GRACE:-30}
# A unix socket path must fit in sockaddr_un (108 bytes); the deepest one we create is
# DIR/local/exec/containerd/containerd.sock.ttrpc, 44 bytes below DIR.
PEERS_MAX_DIR_LENGTH=50
PEERS_MARKER=.wharf-peers
PEERS_WORKER_APPLETS="sh echo cat sleep env printf true false ls wc date id kill touch mkdir rm
  test grep head tail sed nc wget hostname"

peers__log() { printf 'peers: %s\n' "$*" >&2; }

# Prints the last lines of a peer's log under a heading that names the peer, then fails.
peers__fail() { # name log message
  local name=$1 log=$2
  shift 2
  peers__log "FAILED to start $name: $*"
  if [[ -n $log && -s $log ]]; then
    peers__log "last lines of $log:"
    tail -n 25 "$log" | sed 's/^/    /' >&2
  fi
  return 1
}

# The kernel's start time of a process (field 22 of /proc/PID/stat); together with the PID it
# identifies one process even if the PID is reused later.
peers__starttime() { # pid
  local stat rest
  local -a fields
  # `read` rather than `cat`: stop walks every process, and a fork per process adds up.
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  rest=${stat##*) }
  read -r -a fields <<<"$rest"
  printf '%s\n' "${fields[19]}"
}

peers__same_process() { # pid starttime
  [[ -n $1 && -n $2 && $(peers__starttime "$1") == "$2" ]]
}

peers__record() { # dir name pid
  local start
  start=$(peers__starttime "$3") || start=gone
  printf '%s %s %s\n' "$2" "$3" "$start" >>"$1/pids"
}

# True when some socket on this machine already uses the TCP port, in any state.
peers__port_in_use() { # port
  local hex
  printf -v hex '%04X' "$1"
  awk -v suffix=":$hex" 'FNR > 1 && substr($2, length($2) - 4) == suffix { found = 1 }
    END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Picks a TCP port below the kernel's ephemeral range that nothing uses and that this run has
# not handed out yet, and sets PEERS__FREE_PORT (a variable, not output, so that the list of
# ports handed out survives: a $(...) would forget it). A race with another program remains,
# so starters retry when the port turns out to be taken.
PEERS__TAKEN_PORTS=" "
peers__free_port() {
  local port tries
  for ((tries = 0; tries < 200; tries++)); do
    port=$((20000 + RANDOM % 12000))
    [[ $PEERS__TAKEN_PORTS == *" $port "* ]] && continue
    peers__port_in_use "$port" && continue
    PEERS__TAKEN_PORTS+="$port "
    PEERS__FREE_PORT=$port
    return 0
  done
  peers__log "no free TCP port found between 20000 and 32000"
  return 1
}

# Starts a daemon in its own session (so a Ctrl-C on the terminal reaches only the harness,
# whose trap stops the peers in order) and records it. Sets PEERS__PID. Job control is off in
# the subshell that peers_start runs in, so setsid execs in place and $! is the daemon itself.
peers__launch() { # dir name log command...
  local dir=$1 name=$2 log=$3
  shift 3
  setsid "$@" </dev/null >>"$log" 2>&1 &
  PEERS__PID=$!
  peers__record "$dir" "$name" "$PEERS__PID"
}

# Polls a readiness check until it succeeds, the daemon dies, or the timeout passes.
peers__await() { # name pid log check-command...
  local name=$1 pid=$2 log=$3 deadline=$((SECONDS + PEERS_START_TIMEOUT))
  shift 3
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      peers__fail "$name" "$log" "the process exited during startup"
      return 1
    fi
    sleep 0.1
  done
  peers__fail "$name" "$log" "not ready after ${PEERS_START_TIMEOUT}s"
}

peers__docker_cli() {
  # The Debian CLI matches the Debian engine; a newer CLI elsewhere in PATH also works.
  if [[ -x /usr/bin/docker ]]; then printf '/usr/bin/docker\n'; else command -v docker; fi
}

# --- Docker engines -------------------------------------------------------------------------

peers__engine_ping() { # socket
  [[ $(curl -sS --max-time 2 --unix-socket "$1" http://docker/_ping) == OK ]]
}

peers__launch_engine() { # dir name
  local dir=$1 name=$2 d=$1/$2 namespace
  mkdir -p "$d" || return 1
  # Our own daemon.json keeps /etc/docker/daemon.json out and gives each engine its own key
  # file: dockerd 20.10 derives the engine ID in /info from /etc/docker/key.json otherwise, so
  # all engines would claim to be the same host. Our own containerd namespaces keep engines
  # apart even when dockerd uses a system containerd it found running.
  printf '{"deprecated-key-path": "%s"}\n' "$d/key.json" >"$d/daemon.json"
  namespace="wharf-$(printf '%s' "$dir" | md5sum | cut -c1-8)-$name"
  peers__launch "$dir" "dockerd-$name" "$d/log" dockerd \
    --config-file "$d/daemon.json" --host "unix://$d/docker.sock" \
    --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/pid" \
    --bridge=none --iptables=false --ip-masq=false \
    --containerd-namespace "$namespace" --containerd-plugins-namespace "$namespace-plugins"
}

peers__await_engine() { # dir name
  local dir=$1 name=$2 d=$1/$2 pid containerd_pid
  pid=$(awk -v n="dockerd-$name" '$1 == n { p = $2 } END { print p }' "$dir/pids")
  peers__await "dockerd \"$name\"" "$pid" "$d/log" peers__engine_ping "$d/docker.sock" || return 1
  if [[ $(cat "$d/pid" 2>/dev/null) != "$pid" ]]; then
    peers__fail "dockerd \"$name\"" "$d/log" "its pidfile does not name the process we started"
    return 1
  fi
  # dockerd supervises its own containerd; record it too so a dockerd killed hard cannot leave
  # it behind.
  if [[ -s $d/exec/containerd/containerd.pid ]]; then
    containerd_pid=$(cat "$d/exec/containerd/containerd.pid")
    if tr '\0' ' ' <"/proc/$containerd_pid/cmdline" 2>/dev/null | grep -qF "$d/"; then
      peers__record "$dir" "containerd-$name" "$containerd_pid"
    fi
  fi
}

# --- Registries -----------------------------------------------------------------------------

peers__registry_ready() { # port expected-status
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/v2/") == "$2" ]]
}

peers__start_registry() { # dir name htpasswd-file-or-empty; sets PEERS__PORT
  local dir=$1 name=$2 htpasswd=$3 d=$1/$2 port expected=200
  mkdir -p "$d/data" || return 1
  [[ -n $htpasswd ]] && expected=401
  for _ in 1 2 3; do
    peers__free_port || return 1
    port=$PEERS__FREE_PORT
    {
      printf 'version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\n'
      printf 'storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n' \
        "$d/data"
      printf '  maintenance:\n    uploadpurging:\n      enabled: false\n'
      printf 'http:\n  addr: 127.0.0.1:%s\n  secret: %s\n' "$port" "$(peers__random 24)"
      if [[ -n $htpasswd ]]; then
        printf 'auth:\n  htpasswd:\n    realm: wharf-test\n    path: %s\n' "$htpasswd"
      fi
    } >"$d/config.yml"
    peers__launch "$dir" "$name" "$d/log" docker-registry serve "$d/config.yml"
    if peers__await "$name" "$PEERS__PID" "$d/log" peers__registry_ready "$port" "$expected"; then
      PEERS__PORT=$port
      return 0
    fi
    grep -qi 'address already in use' "$d/log" || return 1
    peers__log "$name: port $port was taken meanwhile, retrying with another"
  done
  return 1
}

peers__random() { # length
  local out=
  while ((${#out} < $1)); do
    out+=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  done
  printf '%s\n' "${out:0:$1}"
}

# --- SSH hosts ------------------------------------------------------------------------------

# sshd writes its PidFile only once it listens, so the file naming our process means ready;
# unlike probing the port, this leaves no half-open connection in the host's log.
peers__sshd_listening() { # pidfile pid
  [[ $(cat "$1" 2>/dev/null) == "$2" ]]
}

peers__sshd_binary() {
  if [[ -x /usr/sbin/sshd ]]; then printf '/usr/sbin/sshd\n'; else command -v sshd; fi
}

peers__start_sshd() { # dir name address engine-socket; sets PEERS__PORT
  local dir=$1 name=$2 address=$3 socket=$4 d=$1/$2 port sshd
  sshd=$(peers__sshd_binary) || { peers__fail "$name" "" "sshd is not installed"; return 1; }
  mkdir -p "$d" || return 1
  ssh-keygen -q -t ed25519 -N '' -C "wharf-test-$name" -f "$d/host_ed25519_key" </dev/null ||
    return 1
  for _ in 1 2 3; do
    peers__free_port || return 1
    port=$PEERS__FREE_PORT
    cat >"$d/sshd_config" <<EOF
ListenAddress $address:$port
HostKey $d/host_ed25519_key
PidFile $d/pid
AuthorizedKeysFile $dir/ssh/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthenticationMethods publickey
AllowStreamLocalForwarding yes
# sshd also checks the local permission of AllowTcpForwarding before it opens a
# direct-streamlocal channel, so "no" here would refuse the Docker socket too.
AllowTcpForwarding local
X11Forwarding no
PermitUserEnvironment no
PrintMotd no
PrintLastLog no
UseDNS no
MaxStartups 64:30:128
MaxSessions 64
LogLevel VERBOSE
SetEnv DOCKER_HOST=unix://$socket
Subsystem sftp internal-sftp
EOF
    if ! "$sshd" -t -f "$d/sshd_config" >"$d/log" 2>&1; then
      peers__fail "$name" "$d/log" "sshd rejected its configuration"
      return 1
    fi
    peers__launch "$dir" "$name" "$d/log" "$sshd" -D -f "$d/sshd_config" -E "$d/log"
    if peers__await "$name" "$PEERS__PID" "$d/log" \
      peers__sshd_listening "$d/pid" "$PEERS__PID"; then
      PEERS__PORT=$port
      return 0
    fi
    grep -qi 'address already in use' "$d/log" || return 1
    peers__log "$name: port $port was taken meanwhile, retrying with another"
  done
  return 1
}

# Logs in with the client key, checking the host key strictly, and asks for DOCKER_HOST: the
# same thing the tests do, so a broken SSH peer fails here with its log rather than later.
peers__check_ssh_login() { # dir name address port engine-socket
  local dir=$1 name=$2 address=$3 port=$4 socket=$5 answer
  answer=$(ssh -F none -n -T -p "$port" -i "$dir/ssh/id_ed25519" \
    -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$dir/ssh/known_hosts" -o GlobalKnownHostsFile=/dev/null \
    -o ConnectTimeout=10 -l "$(id -un)" "$address" 'echo $DOCKER_HOST' 2>"$dir/$name/client.log")
  if [[ $answer != "unix://$socket" ]]; then
    cat "$dir/$name/client.log" >>"$dir/$name/log"
    peers__fail "$name" "$dir/$name/log" \
      "ssh login as $(id -un) answered '$answer' instead of 'unix://$socket'" \
      "(note: sshd refuses a locked account, '!' in /etc/shadow, when UsePAM is off)"
    return 1
  fi
}

peers__ssh_client_files() { # dir
  local s=$1/ssh
  mkdir -p "$s" || return 1
  ssh-keygen -q -t ed25519 -N '' -C wharf-test-client -f "$s/id_ed25519" </dev/null || return 1
  printf 'from="127.*" %s\n' "$(cat "$s/id_ed25519.pub")" >"$s/authorized_keys"
  chmod 600 "$s/authorized_keys"
}

peers__known_hosts() { # dir port-a port-b
  local s=$1/ssh
  {
    printf '[127.0.0.2]:%s %s\n' "$2" "$(cut -d' ' -f1,2 "$1/ssh-a/host_ed25519_key.pub")"
    printf '[127.0.0.3]:%s %s\n' "$3" "$(cut -d' ' -f1,2 "$1/ssh-b/host_ed25519_key.pub")"
  } >"$s/known_hosts"
  cp "$s/known_hosts" "$s/known_hosts_hashed"
  ssh-keygen -q -H -f "$s/known_hosts_hashed" >/dev/null 2>&1 || return 1
  rm -f "$s/known_hosts_hashed.old"
}

# --- Seed images ----------------------------------------------------------------------------

# A busybox-only root filesystem whose /etc/wharf-version tells the versions apart.
peers__worker_rootfs() { # rootfs version
  local root=$1 busybox applet
  busybox=$(command -v busybox) || { peers__log "busybox is not installed"; return 1; }
  if ldd "$busybox" >/dev/null 2>&1; then
    peers__log "$busybox is dynamically linked; install busybox-static"
    return 1
  fi
  rm -rf "$root" && mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" || return 1
  chmod 1777 "$root/tmp"
  cp "$busybox" "$root/bin/busybox" || return 1
  for applet in $PEERS_WORKER_APPLETS; do
    ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
    >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf '%s\n' "$2" >"$root/etc/wharf-version"
}

peers__import_worker() { # dir version image-reference
  local root=$1/seed/rootfs-$2
  local -
  set -o pipefail
  peers__worker_rootfs "$root" "$2" || return 1
  # A fixed mtime and owner make the layer identical on every run, as a real build would be.
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -c . |
    peers__docker "$1" local import --change 'CMD ["sh"]' - "$3"
}

peers__docker() { # dir engine args...
  local dir=$1 engine=$2
  shift 2
  DOCKER_HOST="unix://$dir/$engine/docker.sock" DOCKER_CONFIG="$dir/docker-config" \
    "$(peers__docker_cli)" "$@"
}

# Runs `function dir item` for every item side by side, each with its own log that is appended
# to `log` afterwards; fails if any failed. Imports and pushes mostly wait on the engine and
# the registry, so overlapping them pays.
peers__parallel() { # log function dir items...
  local log=$1 function=$2 dir=$3 index failed=0
  local -a pids=()
  shift 3
  local -a items=("$@")
  for index in "${!items[@]}"; do
    "$function" "$dir" "${items[index]}" >"$log.$index" 2>&1 &
    pids[index]=$!
  done
  for index in "${!pids[@]}"; do
    wait "${pids[index]}" || failed=1
    cat "$log.$index" >>"$log" && rm -f "$log.$index"
  done
  return "$failed"
}

peers__import_item() { # dir version=reference
  peers__import_worker "$1" "${2%%=*}" "${2#*=}"
}

peers__push_item() { # dir reference
  peers__docker "$1" local push "$2"
}

peers__seed_images() { # dir with-registries(0/1) open-registry auth-registry
  local dir=$1 log=$1/seed/log
  # version=reference; the version goes into /etc/wharf-version.
  local -a imports=(dev=wharf/worker:dev) pushes=()
  mkdir -p "$dir/seed" || return 1
  if [[ $2 == 1 ]]; then
    imports+=("1.0.0=$3/wharf/worker:1.0.0" "1.1.0=$3/wharf/worker:1.1.0")
    pushes=("$3/wharf/worker:1.0.0" "$3/wharf/worker:1.1.0"
      "$4/wharf/worker:1.0.0" "$4/wharf/worker:1.1.0")
  fi
  if ! peers__parallel "$log" peers__import_item "$dir" "${imports[@]}"; then
    peers__fail "seed images" "$log" "docker import into the local engine failed"
    return 1
  fi
  [[ $2 == 1 ]] || return 0
  if ! { peers__docker "$dir" local tag "${pushes[0]}" "${pushes[2]}" &&
    peers__docker "$dir" local tag "${pushes[1]}" "${pushes[3]}"; } >>"$log" 2>&1; then
    peers__fail "seed images" "$log" "docker tag failed"
    return 1
  fi
  if ! peers__parallel "$log" peers__push_item "$dir" "${pushes[@]}"; then
    peers__fail "seed pushes" "$log" "docker push to a test registry failed"
    return 1
  fi
  # The local engine keeps only wharf/worker:dev, so tests see what a pull brings in.
  peers__docker "$dir" local rmi "${pushes[@]}" >>"$log" 2>&1 || true
}

# --- start / stop ---------------------------------------------------------------------------

peers__env_line() { printf 'export %s=%q\n' "$1" "$2"; }

# The public functions run in a subshell with their own shell options, so they behave the same
# whatever `set -e`/`-u` the caller uses, and an unset variable fails the call instead of
# ending the caller's shell.
peers_start() ( # dir [families]
  set +e -u -o pipefail
  peers__start "$@"
)

peers_stop() ( # dir
  set +e -u -o pipefail
  peers__stop "$@"
)

peers__start() { # dir [families]
  local dir=${1:?peers_start needs a directory} families=${2:-docker,registry,ssh}
  local want_registry=0 want_ssh=0 name user='' password='' port_a='' port_b=''
  local registry='' auth_registry='' started=$SECONDS family login_a='' login_b=''
  # The engines always start: the registries are seeded through one and each SSH host fronts
  # one.
  for family in ${families//,/ }; do
    case $family in
      docker) ;;
      registry) want_registry=1 ;;
      ssh) want_ssh=1 ;;
      *)
        peers__log "unknown peer family '$family': use a comma list of docker, registry, ssh"
        return 1
        ;;
    esac
  done
  if ((EUID != 0)); then
    peers__log "private dockerd instances need root: run as root, or run only the unit" \
      "tests with tools/test.sh --unit-only"
    return 1
  fi
  dir=$(cd "$dir" 2>/dev/null && pwd) || { peers__log "no such directory: $1"; return 1; }
  if [[ ! $dir =~ ^[A-Za-z0-9._/-]+$ ]]; then
    peers__log "$dir goes into configuration files unquoted; use letters, digits and ._-/ only"
    return 1
  fi
  if ((${#dir} > PEERS_MAX_DIR_LENGTH)); then
    peers__log "$dir is too long for unix sockets below it; use a short one such as" \
      "\$(mktemp -d /tmp/wharf-peers.XXXXXX)"
    return 1
  fi
  if [[ -n $(ls -A "$dir") ]]; then
    peers__log "$dir is not empty; peers need a fresh directory"
    return 1
  fi
  : >"$dir/$PEERS_MARKER"
  : >"$dir/pids"
  peers__log "starting in $dir ($families)"

  # Engines take longest, so they boot while the registries and SSH hosts come up.
  for name in local a b; do
    peers__launch_engine "$dir" "$name" || return 1
  done

  if ((want_registry)); then
    user=wharf
    password=$(peers__random 20)
    mkdir -p "$dir/auth-registry" "$dir/docker-config" || return 1
    htpasswd -Bbn "$user" "$password" >"$dir/auth-registry/htpasswd" 2>/dev/null ||
      { peers__fail auth-registry "" "htpasswd -B failed"; return 1; }
    peers__start_registry "$dir" registry "" || return 1
    registry=127.0.0.1:$PEERS__PORT
    peers__start_registry "$dir" auth-registry "$dir/auth-registry/htpasswd" || return 1
    auth_registry=127.0.0.1:$PEERS__PORT
    # Written directly rather than by `docker login`, which may pick a desktop credential
    # helper for an empty config; this private file is what tests hand to wharf.
    printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$auth_registry" \
      "$(printf '%s:%s' "$user" "$password" | base64 -w0)" >"$dir/docker-config/config.json"
    chmod 600 "$dir/docker-config/config.json"
  else
    mkdir -p "$dir/docker-config" && printf '{"auths":{}}\n' >"$dir/docker-config/config.json"
  fi

  if ((want_ssh)); then
    [[ -d /run/sshd ]] || mkdir -m 0755 /run/sshd || return 1
    if ! peers__ssh_client_files "$dir"; then
      peers__fail "ssh client key" "" "ssh-keygen failed"
      return 1
    fi
    peers__start_sshd "$dir" ssh-a 127.0.0.2 "$dir/a/docker.sock" || return 1
    port_a=$PEERS__PORT
    peers__start_sshd "$dir" ssh-b 127.0.0.3 "$dir/b/docker.sock" || return 1
    port_b=$PEERS__PORT
    peers__known_hosts "$dir" "$port_a" "$port_b" ||
      { peers__fail "known_hosts" "" "ssh-keygen -H failed"; return 1; }
    # The logins take a while (a whole SSH session each); they overlap with the seeding.
    peers__check_ssh_login "$dir" ssh-a 127.0.0.2 "$port_a" "$dir/a/docker.sock" &
    login_a=$!
    peers__check_ssh_login "$dir" ssh-b 127.0.0.3 "$port_b" "$dir/b/docker.sock" &
    login_b=$!
  fi

  for name in local a b; do
    peers__await_engine "$dir" "$name" || return 1
  done
  peers__seed_images "$dir" "$want_registry" "$registry" "$auth_registry" || return 1
  if ((want_ssh)); then
    wait "$login_a" || return 1
    wait "$login_b" || return 1
  fi

  {
    printf '# Written by tools/peers.sh; source it to reach the private peers.\n'
    peers__env_line WHARF_TEST_PEERS_DIR "$dir"
    peers__env_line WHARF_TEST_DOCKER_CLI "$(peers__docker_cli)"
    peers__env_line WHARF_TEST_DOCKER_HOST "unix://$dir/local/docker.sock"
    peers__env_line WHARF_TEST_DOCKER_HOST_A "unix://$dir/a/docker.sock"
    peers__env_line WHARF_TEST_DOCKER_HOST_B "unix://$dir/b/docker.sock"
    peers__env_line WHARF_TEST_DOCKER_CONFIG "$dir/docker-config"
    if ((want_registry)); then
      peers__env_line WHARF_TEST_REGISTRY "$registry"
      peers__env_line WHARF_TEST_REGISTRY_LOG "$dir/registry/log"
      peers__env_line WHARF_TEST_AUTH_REGISTRY "$auth_registry"
      peers__env_line WHARF_TEST_AUTH_REGISTRY_LOG "$dir/auth-registry/log"
      peers__env_line WHARF_TEST_AUTH_USER "$user"
      peers__env_line WHARF_TEST_AUTH_PASSWORD "$password"
      peers__env_line WHARF_TEST_WORKER_REPO "$registry/wharf/worker"
    fi
    if ((want_ssh)); then
      peers__env_line WHARF_TEST_SSH_USER "$(id -un)"
      peers__env_line WHARF_TEST_SSH_KEY "$dir/ssh/id_ed25519"
      peers__env_line WHARF_TEST_SSH_KNOWN_HOSTS "$dir/ssh/known_hosts"
      peers__env_line WHARF_TEST_SSH_KNOWN_HOSTS_HASHED "$dir/ssh/known_hosts_hashed"
      for name in a b; do
        local upper=${name^^} address=127.0.0.2 port=$port_a
        [[ $name == b ]] && address=127.0.0.3 port=$port_b
        peers__env_line "WHARF_TEST_SSH_HOST_$upper" "$address"
        peers__env_line "WHARF_TEST_SSH_PORT_$upper" "$port"
        peers__env_line "WHARF_TEST_SSH_SOCKET_$upper" "$dir/$name/docker.sock"
        peers__env_line "WHARF_TEST_SSH_LOG_$upper" "$dir/ssh-$name/log"
        peers__env_line "WHARF_TEST_SSHD_PID_$upper" \
          "$(awk -v n="ssh-$name" '$1 == n { p = $2 } END { print p }' "$dir/pids")"
      done
    fi
  } >"$dir/env"
  local summary="engines local/a/b"
  ((want_registry)) && summary+=", registry $registry, auth registry $auth_registry"
  ((want_ssh)) && summary+=", ssh 127.0.0.2:$port_a 127.0.0.3:$port_b"
  peers__log "ready in $((SECONDS - started))s: $summary"
}

# Prints "pid starttime" for a process and all its descendants, parents first.
peers__tree() { # pid
  local -A children=()
  local stat pid ppid rest queue=("$1") current
  for stat in /proc/[0-9]*/stat; do
    read -r rest 2>/dev/null <"$stat" || continue
    pid=${stat#/proc/}
    pid=${pid%/stat}
    rest=${rest##*) }
    read -r _ ppid _ <<<"$rest"
    children[$ppid]+=" $pid"
  done
  while ((${#queue[@]})); do
    current=${queue[0]}
    queue=("${queue[@]:1}")
    printf '%s %s\n' "$current" "$(peers__starttime "$current")"
    # shellcheck disable=SC2206
    queue+=(${children[$current]:-})
  done
}

peers__wait_gone() { # seconds "pid starttime"...
  local deadline=$((SECONDS + $1)) entry alive
  shift
  while :; do
    alive=0
    for entry in "$@"; do
      # shellcheck disable=SC2086
      peers__same_process $entry && alive=1
    done
    ((alive)) || return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

peers__signal() { # signal "pid starttime"...
  local signal=$1 entry
  shift
  for entry in "$@"; do
    # shellcheck disable=SC2086
    peers__same_process $entry && kill "-$signal" "${entry%% *}" 2>/dev/null
  done
  return 0
}

peers__stop() { # dir
  local dir=${1:?peers_stop needs a directory} name pid start entry mounts mount cmdline
  local -a recorded=() descendants=() leftovers=()
  [[ -e $dir ]] || return 0
  dir=$(cd "$dir" && pwd) || return 1
  # A start that failed before doing anything leaves only the empty directory it was given.
  if [[ -z $(ls -A "$dir") ]]; then
    rmdir "$dir"
    return
  fi
  if [[ ! -e $dir/$PEERS_MARKER ]]; then
    peers__log "refusing to stop $dir: it was not made by tools/peers.sh (no $PEERS_MARKER)"
    return 1
  fi
  if [[ -s $dir/pids ]]; then
    while read -r name pid start; do
      peers__same_process "$pid" "$start" || continue
      recorded+=("$pid $start")
      while read -r entry; do
        [[ ${entry%% *} == "$pid" || -z ${entry#* } ]] || descendants+=("$entry")
      done < <(peers__tree "$pid")
    done <"$dir/pids"
  fi
  # dockerd stops its containers and its containerd and unmounts on SIGTERM; give it time.
  peers__signal TERM "${recorded[@]}"
  if ! peers__wait_gone "$PEERS_STOP_GRACE" "${recorded[@]}"; then
    peers__log "some peers ignored SIGTERM for ${PEERS_STOP_GRACE}s; killing them"
    peers__signal KILL "${recorded[@]}"
    peers__wait_gone 5 "${recorded[@]}"
  fi
  # Children that outlived their parent (an sshd session, a containerd of a killed dockerd).
  peers__signal TERM "${descendants[@]}"
  peers__wait_gone 5 "${descendants[@]}" || peers__signal KILL "${descendants[@]}"
  # Container shims re-parent themselves away from containerd; ours name our directory.
  for pid in /proc/[0-9]*; do
    pid=${pid#/proc/}
    read -r -d "" cmdline 2>/dev/null <"/proc/$pid/cmdline"
    [[ $cmdline == *containerd-shim* ]] || continue
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/"; then
      while read -r entry; do leftovers+=("$entry"); done < <(peers__tree "$pid")
    fi
  done
  if ((${#leftovers[@]})); then
    peers__log "killing ${#leftovers[@]} leftover container processes"
    peers__signal KILL "${leftovers[@]}"
    peers__wait_gone 5 "${leftovers[@]}"
  fi
  # Unmount, deepest first, whatever is still mounted below our directory and nothing else.
  mounts=$(awk -v d="$dir/" '$5 == substr(d, 1, length(d) - 1) || index($5, d) == 1 { print $5 }' \
    /proc/self/mountinfo | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2-)
  for mount in $mounts; do
    umount -l "$mount" 2>/dev/null || peers__log "could not unmount $mount"
  done
  if awk -v d="$dir/" 'index($5, d) == 1 { found = 1 } END { exit !found }' \
    /proc/self/mountinfo; then
    peers__log "mounts remain below $dir; leaving it in place"
    return 1
  fi
  rm -rf --one-file-system "$dir"
}

peers__main() {
  set -uo pipefail
  local command=${1:-} families=docker,registry,ssh dir
  shift || true
  case $command in
    start)
      if [[ ${1:-} == --only ]]; then
        families=${2:?--only needs a comma list of docker,registry,ssh}
        shift 2
      fi
      dir=${1:-}
      [[ -n $dir ]] || dir=$(mktemp -d /tmp/wharf-peers.XXXXXX) || return 1
      mkdir -p "$dir" || return 1
      # Whatever ends this shell before the peers are ready also stops what was started.
      # shellcheck disable=SC2064 # $dir is fixed now.
      trap "peers_stop '$dir'" EXIT
      peers_start "$dir" "$families" || return 1
      trap - EXIT
      printf '%s\n' "$dir"
      ;;
    stop)
      peers_stop "${1:?usage: tools/peers.sh stop DIR}"
      ;;
    *)
      printf 'usage: %s start [--only docker,registry,ssh] [DIR] | stop DIR\n' "$0" >&2
      return 2
      ;;
  esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  peers__main "$@"
  exit
fi
