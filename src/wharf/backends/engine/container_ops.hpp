#pragma once

// The engine calls the engine backend's workers make, behind small interfaces, so the
// decisions of EngineWorker and WarmPoolWorker (timeout, cancel, lost container, clean-up)
// can be unit-tested against a fake engine. The real one is an adapter over
// engine::EngineClient: engine_container_ops().

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "wharf/core/error.hpp"
#include "wharf/engine/container_types.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/engine/log_demuxer.hpp"

namespace wharf::backends {

/// A created container's output, followed on a connection of its own from before the
/// container starts until it closes its streams (see OutputAttachment, the engine's).
class FollowedOutput {
 public:
  virtual ~FollowedOutput() = default;

  enum class Wait {
    drained,    ///< The container closed its output: it has stopped (or closed both streams).
    deadline,   ///< `deadline` passed first.
    cancelled,  ///< `cancel` was requested first.
  };
  /// Blocks until the output ends, `deadline` passes (none: no limit) or `cancel` fires.
  [[nodiscard]] virtual Wait wait(std::optional<std::chrono::steady_clock::time_point> deadline,
                                  std::stop_token cancel) = 0;

  /// Gives the stream up to `grace` to end by itself (after a kill, the last bytes are still
  /// on their way), then cuts it and returns how it ended: success when the container closed
  /// it, the transfer's error otherwise (ErrorKind::cancelled when it had to be cut).
  [[nodiscard]] virtual Result<void> finish(std::chrono::milliseconds grace) = 0;
};

/// The container and exec calls of one engine connection, with engine::EngineClient's
/// contracts (errors included: an answer of the engine carries Error::http_status, a failed
/// connection does not) and its default call timeouts.
///
/// Thread-safety: none, like the connection it stands for; see ContainerOpsSource.
class ContainerOps {
 public:
  virtual ~ContainerOps() = default;

  /// The engine's address for messages ("unix:///var/run/docker.sock").
  [[nodiscard]] virtual std::string engine_address() const = 0;

  [[nodiscard]] virtual Result<engine::CreatedContainer> container_create(
      const engine::ContainerSpec& spec) = 0;
  [[nodiscard]] virtual Result<void> container_start(const std::string& id) = 0;
  /// Long-polls until the container meets options.condition; timeout and cancel as given.
  [[nodiscard]] virtual Result<engine::WaitResult> container_wait(
      const std::string& id, const engine::WaitOptions& options) = 0;
  [[nodiscard]] virtual Result<engine::ContainerInfo> container_inspect(const std::string& id) = 0;
  /// Sends SIGKILL; conflict when it is not running.
  [[nodiscard]] virtual Result<void> container_kill(const std::string& id) = 0;
  /// Removes it, killing it first when it runs; not_found when there is no such container.
  [[nodiscard]] virtual Result<void> container_remove(const std::string& id) = 0;

  /// Prepares `spec` in the running `container`; conflict when it is not running.
  [[nodiscard]] virtual Result<std::string> exec_create(const std::string& container,
                                                        const engine::ExecSpec& spec) = 0;
  /// Runs the exec attached, streaming into `sink` until it exits.
  [[nodiscard]] virtual Result<void> exec_start(const std::string& exec_id,
                                                const engine::ExecStartOptions& options,
                                                const engine::LogSink& sink) = 0;
  [[nodiscard]] virtual Result<engine::ExecInfo> exec_inspect(const std::string& exec_id) = 0;
};

/// Where a worker's slot threads get their connections: each attempt borrows a ContainerOps
/// and gives it back when its connection is still good, so the next attempt reuses it.
///
/// Thread-safety: every method may be called from any thread.
class ContainerOpsSource {
 public:
  virtual ~ContainerOpsSource() = default;

  /// An idle connection, or a new one when none is idle.
  [[nodiscard]] virtual std::unique_ptr<ContainerOps> acquire() = 0;
  /// Takes back a connection that is still usable; drop a broken one instead.
  virtual void release(std::unique_ptr<ContainerOps> ops) = 0;
  /// A new connection, for a second chance after a broken one.
  [[nodiscard]] virtual std::unique_ptr<ContainerOps> fresh() = 0;
  /// Follows the output of the created container `id` into `sink` on a connection of its
  /// own; returns once attached (start the container after that), or the error that stopped
  /// it.
  [[nodiscard]] virtual Result<std::unique_ptr<FollowedOutput>> follow_output(
      const std::string& id, engine::LogSink sink) = 0;
};

/// The real source: connections cloned from `engine` (pooled as ClientPool does) and output
/// followed through OutputAttachment.
[[nodiscard]] std::shared_ptr<ContainerOpsSource> engine_container_ops(
    const engine::EngineClient& engine);

}  // namespace wharf::backends
