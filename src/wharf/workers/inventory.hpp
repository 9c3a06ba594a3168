#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/engine/docker_host.hpp"
#include "wharf/ssh/ssh_url.hpp"

namespace wharf::workers {

/// Where an inventory is looked for when --workers is not given, relative to the project.
inline constexpr std::string_view kDefaultInventoryPath = "docker/workers.json";
inline constexpr std::string_view kDefaultRemoteSocket = "/var/run/docker.sock";

/// How a worker's engine is reached.
enum class WorkerKind {
  local,   ///< "local": the engine wharf itself uses (--host, DOCKER_HOST, the default).
  engine,  ///< "unix:///path" or "tcp://host:port": a Docker engine address.
  ssh,     ///< "ssh://[user@]host[:port]", "[user@]host" or an ssh_config alias.
};

/// One worker of an inventory, validated.
struct WorkerEntry {
  std::string name;  ///< Unique in the inventory; letters, digits, '.', '_', '-'.
  WorkerKind kind = WorkerKind::local;
  std::string host;                          ///< The address as written.
  std::optional<engine::DockerHost> engine;  ///< kind engine: the parsed address.
  std::optional<ssh::SshUrl> ssh;            ///< kind ssh: the parsed destination.
  /// kind ssh: the Docker socket on the remote host.
  std::string remote_socket = std::string(kDefaultRemoteSocket);
  std::size_t slots = 1;  ///< Tasks at once on this worker, at least 1.
  std::map<std::string, std::string> labels;
  /// kind ssh: a known_hosts file checked before the user's (relative paths are resolved
  /// against the inventory's directory); empty when not given.
  std::optional<std::filesystem::path> known_hosts;
  /// kind ssh: a key offered before ssh_config's (relative paths as above).
  std::optional<std::filesystem::path> identity_file;
};

/// A parsed workers file.
struct Inventory {
  std::filesystem::path source;  ///< The file it came from, for messages.
  std::vector<WorkerEntry> workers;
};

/// Parses an inventory:
///
///     {"workers": [
///       {"name": "here", "host": "local", "slots": 2},
///       {"name": "build-2", "host": "ssh://deploy@10.0.0.5:2222", "slots": 4,
///        "socket": "/run/docker.sock", "known_hosts": "known_hosts",
///        "identity_file": "~/.ssh/id_deploy", "labels": {"disk": "ssd"}},
///       {"name": "build-3", "host": "build-3"}
///     ]}
///
/// `source` names the file in messages and anchors relative paths. Fails with
/// ErrorKind::invalid_input and a sentence naming the file, the worker (position and name)
/// and the field for: malformed JSON (with line and column), a missing or non-string name or
/// host, a name used twice or with other characters, an address that parses as none of the
/// forms, slots outside 1..1024, an unknown field (a typo must not be silently ignored),
/// socket/known_hosts/identity_file on a worker that is not ssh, or no worker at all.
[[nodiscard]] Result<Inventory> parse_inventory(std::string_view json_text,
                                                const std::filesystem::path& source);

/// Reads and parses `path`; ErrorKind::not_found (naming the file and how to create one)
/// when it does not exist.
[[nodiscard]] Result<Inventory> load_inventory(const std::filesystem::path& path);

/// "local", "engine" or "ssh".
[[nodiscard]] std::string_view to_string(WorkerKind kind) noexcept;

}  // namespace wharf::workers
