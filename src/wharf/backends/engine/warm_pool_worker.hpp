#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "wharf/backends/engine/client_pool.hpp"
#include "wharf/backends/engine/container_ops.hpp"
#include "wharf/core/error.hpp"
#include "wharf/dispatch/worker.hpp"
#include "wharf/engine/engine_client.hpp"

namespace wharf::backends {

/// The label that marks a warm pool's containers (its value is the slot number).
inline constexpr std::string_view kPoolLabel = "wharf.pool";

struct WarmPoolOptions {
  std::string name = "local";  ///< The worker's name in results and messages.
  std::size_t size = 2;        ///< Long-lived containers, one task in each at a time.
  /// The image every pool container runs (already on the engine); prepare() sets it and the
  /// digest.
  std::string image;
  std::string image_digest;  ///< Reported in results; "" when unknown.
  /// Where `<task_id>.log` files go (created when missing); empty: output is not saved.
  std::filesystem::path logs_dir;
  /// When set, every piece of a task's output is also passed here while it runs.
  engine::LogSink live_output;
  /// What keeps a pool container alive between tasks. It replaces the image's entrypoint, so
  /// the image needs this program; `sleep` is in every busybox, coreutils or distro image.
  std::vector<std::string> keep_alive = {"sleep", "2147483647"};
};

/// Runs tasks through `docker exec` in a pool of long-lived containers at the pinned image:
/// an exec costs ~150 ms here against ~500 ms for a fresh container.
///
/// Each of `size` slots owns one container, `wharf-<run_id>-warm-<slot>-<generation>`,
/// labelled wharf.run and wharf.pool, network mode none, started on the slot's first task.
/// A task runs as the image's entrypoint followed by its args (the image's CMD when it has
/// none), with its env, so it sees the same argv as in a fresh container.
///
/// What differs from fresh containers, and users must know: tasks that run in the same slot
/// share that container's filesystem (files a task leaves behind are seen by later tasks) and
/// any process a task leaves running in the background. A task that times out or is cancelled
/// takes its container with it (the only way to be sure its processes are gone); the slot
/// starts a new one (next generation) for its next task. Container and label names stay
/// per run, so the run's final sweep (remove_run_containers) finds the pool too.
///
/// prepare() is ensure_image() on this engine, then reads the image's entrypoint and CMD;
/// stop() is shutdown(); sweep() removes the run's containers by label, the pool's included.
///
/// Thread-safety: run() may be called from up to slots() threads at once.
class WarmPoolWorker final : public dispatch::Worker {
 public:
  /// Reads the image's entrypoint and CMD from the engine (the image must be present).
  [[nodiscard]] static Result<std::shared_ptr<WarmPoolWorker>> create(
      const engine::EngineClient& engine, WarmPoolOptions options);
  /// On any source of container operations (a fake one in unit tests), with the image's
  /// ENTRYPOINT and CMD as the caller read them.
  [[nodiscard]] static Result<std::shared_ptr<WarmPoolWorker>> create(
      std::shared_ptr<ContainerOpsSource> ops, WarmPoolOptions options,
      std::vector<std::string> entrypoint, std::vector<std::string> default_cmd);
  /// A pool that takes tasks once prepare() made its image ready (options.size must be at
  /// least 1; create() checks that for callers that want an error).
  WarmPoolWorker(const engine::EngineClient& engine, WarmPoolOptions options);

  WarmPoolWorker(const WarmPoolWorker&) = delete;
  WarmPoolWorker& operator=(const WarmPoolWorker&) = delete;
  /// Removes the pool (see shutdown()), ignoring errors.
  ~WarmPoolWorker() override;

  [[nodiscard]] const std::string& name() const override { return options_.name; }
  [[nodiscard]] std::size_t slots() const override { return options_.size; }
  [[nodiscard]] dispatch::Attempt run(const dispatch::TaskSpec& task,
                                      const dispatch::AttemptContext& context) override;
  [[nodiscard]] Result<dispatch::PreparedImage> prepare(
      const ImageReference& image, dispatch::PullPolicy policy,
      const dispatch::PrepareProgressHandler& on_progress) override;
  [[nodiscard]] Result<std::size_t> sweep(const std::string& run_id) override;
  [[nodiscard]] Result<void> stop() override;

  /// Removes every pool container started so far and returns how many it removed. Call it
  /// when no run() is in progress; idempotent. Fails with the engine's error when one could
  /// not be removed (one that is already gone is not an error).
  [[nodiscard]] Result<std::size_t> shutdown();

  /// "wharf-<run_id>-warm-<slot>-<generation>".
  [[nodiscard]] static std::string container_name(const std::string& run_id, std::size_t slot,
                                                  unsigned generation);

 private:
  struct Slot {
    std::string container_id;  ///< Empty until the slot's container is started.
    unsigned generation = 0;   ///< How many containers this slot has started.
    bool busy = false;
  };

  class SlotRun;  // One run() call's state and decisions (warm_pool_worker.cpp).

  WarmPoolWorker(std::shared_ptr<ContainerOpsSource> ops, WarmPoolOptions options,
                 std::vector<std::string> entrypoint, std::vector<std::string> default_cmd);
  /// Reads the entrypoint and CMD of options_.image from the engine.
  [[nodiscard]] Result<void> read_image_config();

  [[nodiscard]] std::size_t claim_slot();
  void release_slot(std::size_t index, std::string container_id);
  [[nodiscard]] Result<std::string> start_container(ContainerOps& ops, const std::string& run_id,
                                                    std::size_t index, unsigned generation);

  WarmPoolOptions options_;
  std::vector<std::string> entrypoint_;   ///< The image's ENTRYPOINT, prepended to args.
  std::vector<std::string> default_cmd_;  ///< The image's CMD, for a task without args.
  std::shared_ptr<ContainerOpsSource> ops_;
  /// For prepare() and sweep(), which need image and list calls that ContainerOps does not
  /// have; empty when the pool was made on a bare ContainerOpsSource (unit tests).
  std::optional<ClientPool> engine_clients_;
  std::mutex slots_mutex_;
  std::vector<Slot> slots_;
};

}  // namespace wharf::backends
