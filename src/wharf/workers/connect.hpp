#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wharf/connect/ssh_engine.hpp"
#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/ssh/ssh_connector.hpp"
#include "wharf/workers/inventory.hpp"

namespace wharf::workers {

/// How long connecting to one worker (TCP, SSH login, engine ping) may take by default.
inline constexpr std::chrono::milliseconds kDefaultWorkerConnectTimeout{15'000};

/// What connecting needs besides the inventory.
struct ConnectOptions {
  /// The engine of a "local" worker: --host, else DOCKER_HOST, else the default socket.
  std::optional<std::string> local_host;
  engine::DockerEnvironment environment;
  /// ~/.ssh/config (may be empty) and the user it is read for.
  connect::SshSettings ssh;
  /// --accept-new-host-keys: record unknown host keys instead of refusing them.
  bool accept_new_host_keys = false;
  std::chrono::milliseconds timeout = kDefaultWorkerConnectTimeout;
};

/// One inventory worker after an attempt to reach its engine: either `engine` is set, or
/// `error` says (in a sentence that names the worker) why it could not be reached.
struct ConnectedWorker {
  WorkerEntry entry;
  std::string address;  ///< The engine address, e.g. "ssh://deploy@10.0.0.5:22".
  std::optional<engine::EngineClient> engine;
  std::optional<Error> error;
  std::shared_ptr<ssh::SshConnector> ssh;  ///< The SSH transport of an ssh worker.
};

/// Reaches the engine of `entry` and negotiates its API version, through connect/'s one
/// factory: "local" and unix:// or tcp:// directly, ssh through one SSH session (ssh_config
/// applied, inventory values first). Fails with a sentence that starts with
/// "worker <name> (<address>): ".
[[nodiscard]] ConnectedWorker connect_worker(const WorkerEntry& entry,
                                             const ConnectOptions& options);

/// connect_worker() for every worker, all at once (one unreachable host costs its timeout
/// once, not once per worker), in inventory order.
[[nodiscard]] std::vector<ConnectedWorker> connect_workers(const Inventory& inventory,
                                                           const ConnectOptions& options);

/// Reads ~/.ssh/config for `defaults` (a missing file is an empty config) into `options`.
[[nodiscard]] Result<ConnectOptions> default_connect_options(std::optional<std::string> local_host,
                                                             bool accept_new_host_keys);

}  // namespace wharf::workers
