# Sourced by the tools/*.sh scripts: installs the Debian packages a script needs, once.
#   ensure_packages PACKAGE...   installs the missing ones with apt-get (as root); as another
#                                user, names them and the command to install them, and fails.
# A fresh machine has none of them; nothing is ever downloaded from anywhere but the Debian
# archive.

# The build needs these; the tests and the demo add the peers' packages.
WHARF_BUILD_PACKAGES=(build-essential cmake ninja-build ccache mold pkg-config git ca-certificates libcurl4-openssl-dev
  libssh2-1-dev libssl-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libyaml-cpp-dev)
WHARF_PEER_PACKAGES=(curl docker.io docker-compose docker-registry openssh-server openssh-client busybox-static
  apache2-utils iproute2 procps)

ensure_packages() {
  local package
  local -a missing=()
  for package in "$@"; do
    if [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null) != installed ]]; then
      missing+=("$package")
    fi
  done
  ((${#missing[@]})) || return 0
  if ((EUID != 0)); then
    printf 'missing Debian packages: %s\n' "${missing[*]}" >&2
    printf 'install them with: sudo apt-get install -y --no-install-recommends %s\n' \
      "${missing[*]}" >&2
    return 1
  fi
  printf 'installing %s\n' "${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}
