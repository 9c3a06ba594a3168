#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wharf/backends/engine/client_pool.hpp"
#include "wharf/backends/engine/container_ops.hpp"
#include "wharf/core/error.hpp"
#include "wharf/dispatch/worker.hpp"
#include "wharf/engine/engine_client.hpp"

namespace wharf::backends {

/// The labels every task container carries, so a run's containers can be found and swept.
inline constexpr std::string_view kRunLabel = "wharf.run";
inline constexpr std::string_view kTaskLabel = "wharf.task";
inline constexpr std::string_view kAttemptLabel = "wharf.attempt";

struct EngineWorkerOptions {
  std::string name = "local";  ///< The worker's name in results and messages.
  std::size_t slots = 1;       ///< Attempts at once; each slot thread gets its own connection.
  /// The image every task runs in (already on the engine); prepare() sets it and the digest.
  std::string image;
  std::string image_digest;  ///< Reported in results; "" when unknown.
  /// Where `<task_id>.log` files go (created when missing); empty: output is not saved.
  std::filesystem::path logs_dir;
  /// When set, every piece of a task's output is also passed here while it runs (used by
  /// `wharf run` to stream it live). Called from slot threads.
  engine::LogSink live_output;
};

/// Runs tasks as containers on one Docker engine.
///
/// An attempt creates `wharf-<run_id>-<task_id>-<attempt>` from the image with the task's
/// args as its command (the image's entrypoint is kept), its env, network mode none and the
/// labels wharf.run, wharf.task and wharf.attempt; starts it; follows its output into
/// `<logs_dir>/<task_id>.log` until it stops or the task's timeout runs out (then it is
/// killed: timed_out) or the run is cancelled (killed: cancelled); and always removes it.
/// Failures of the engine or the connection are infrastructure_error; an image the engine
/// does not have or a command it cannot start are failed_to_start.
///
/// prepare() is ensure_image() on this engine; sweep() removes the run's containers by label
/// (both fail with ErrorKind::internal on a worker made from a bare ContainerOpsSource);
/// stop() has nothing to release (every attempt removes its own container).
///
/// Thread-safety: run() may be called from up to slots() threads at once; every call borrows
/// a connection from `ops` (no two threads share one).
class EngineWorker final : public dispatch::Worker {
 public:
  /// On `engine` (through engine_container_ops()).
  EngineWorker(const engine::EngineClient& engine, EngineWorkerOptions options);
  /// On any source of container operations (a fake one in unit tests).
  EngineWorker(std::shared_ptr<ContainerOpsSource> ops, EngineWorkerOptions options);

  [[nodiscard]] const std::string& name() const override { return options_.name; }
  [[nodiscard]] std::size_t slots() const override { return options_.slots; }
  [[nodiscard]] dispatch::Attempt run(const dispatch::TaskSpec& task,
                                      const dispatch::AttemptContext& context) override;
  [[nodiscard]] Result<dispatch::PreparedImage> prepare(
      const ImageReference& image, dispatch::PullPolicy policy,
      const dispatch::PrepareProgressHandler& on_progress) override;
  [[nodiscard]] Result<std::size_t> sweep(const std::string& run_id) override;
  [[nodiscard]] Result<void> stop() override { return {}; }

  /// The container name of an attempt: "wharf-<run_id>-<task_id>-<attempt>".
  [[nodiscard]] static std::string container_name(const std::string& run_id,
                                                  const std::string& task_id, unsigned attempt);

 private:
  class AttemptRun;  // One run() call's state and decisions (engine_worker.cpp).

  EngineWorkerOptions options_;
  std::shared_ptr<ContainerOpsSource> ops_;
  /// For prepare() and sweep(), which need image and list calls that ContainerOps does not
  /// have; empty when the worker was made on a bare ContainerOpsSource (unit tests).
  std::optional<ClientPool> engine_clients_;
};

/// Removes (force: kills first) every container labelled wharf.run=`run_id`, and returns how
/// many it removed. Used as the final sweep after a cancelled run. Fails with the engine's
/// error when listing fails; a container that vanished meanwhile is not an error.
[[nodiscard]] Result<std::size_t> remove_run_containers(engine::EngineClient& engine,
                                                        const std::string& run_id);

/// A worker's sweep(): remove_run_containers() on a connection from `clients`, failing with a
/// sentence that names the run and `worker` and says how to remove the containers by hand
/// (ErrorKind::internal without `clients`, as for ensure_image_with()).
[[nodiscard]] Result<std::size_t> sweep_run_containers(std::optional<ClientPool>& clients,
                                                       const std::string& worker,
                                                       const std::string& run_id);

/// A run id that is unique enough to tell runs apart and valid in container names:
/// "<yyyymmddThhmmss>-<6 hex digits>" (UTC).
[[nodiscard]] std::string new_run_id();

}  // namespace wharf::backends
