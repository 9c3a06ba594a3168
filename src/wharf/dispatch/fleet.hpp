#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/dispatch/pull_policy.hpp"
#include "wharf/dispatch/worker.hpp"

namespace wharf::dispatch {

/// One worker offered to a run by a backend factory: ready to prepare, or known unusable.
struct FleetCandidate {
  std::string name;     ///< The worker's name in results and messages.
  std::string address;  ///< Where it is reached ("unix:///var/run/docker.sock", "ssh://…").
  std::shared_ptr<Worker> worker;  ///< Null when `error` is set.
  /// Why the worker cannot join (it could not be reached): a sentence that names it.
  std::optional<Error> error;
};

/// A worker of the run, with the image its prepare() made ready.
struct FleetMember {
  std::string name;
  std::string address;
  std::shared_ptr<Worker> worker;
  PreparedImage image;
};

/// A worker left out at the start, and the error to report for it.
struct SkippedWorker {
  std::string name;
  Error error;
};

/// What Fleet::prepare() does with a worker that cannot get ready.
enum class PrepareFailure {
  /// Fail with that worker's error as it is: the user named this one backend, so there is no
  /// other to carry on with (`wharf dispatch` on the engine of --host).
  fails_the_run,
  /// Leave it out (skipped(), with "worker <name>: " in front of a prepare error) and carry
  /// on with the others; fail only when none is left (`wharf dispatch --workers`).
  skips_the_worker,
};

/// The workers of one run and their lifecycle, through the Worker interface only: prepares
/// them all at once, hands the ready ones to the scheduler, stops and sweeps them afterwards.
/// Destroying a fleet stops the workers it has not stopped yet, so an early return leaves no
/// warm pool behind.
///
/// Thread-safety: one thread drives a fleet; the work inside prepare(), stop() and sweep()
/// is spread over one thread per worker (a host that went away costs its timeout once, not
/// once per host).
class Fleet {
 public:
  /// Called once per worker, from the thread preparing it, when it starts pulling the image.
  using PullStarted = std::function<void(const FleetCandidate& worker)>;

  explicit Fleet(std::vector<FleetCandidate> candidates);
  /// The workers move with the fleet; the moved-from one has nothing left to stop.
  Fleet(Fleet&& other) noexcept;
  Fleet& operator=(Fleet&&) = delete;
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;
  ~Fleet();

  /// Prepares every candidate's worker with `image` at once (Worker::prepare()); call it
  /// once. Candidates that carry an error, and workers whose prepare() fails, are handled as
  /// `on_failure` says; members() then holds the ready workers and skipped() the others, both
  /// in candidate order. Fails when no worker is ready (with skips_the_worker: unavailable,
  /// pointing at the errors in skipped() and `wharf workers check`).
  [[nodiscard]] Result<void> prepare(const ImageReference& image, PullPolicy policy,
                                     PrepareFailure on_failure, const PullStarted& on_pull = {});

  [[nodiscard]] const std::vector<FleetMember>& members() const noexcept { return members_; }
  [[nodiscard]] const std::vector<SkippedWorker>& skipped() const noexcept { return skipped_; }
  /// The ready workers, for the scheduler.
  [[nodiscard]] std::vector<std::shared_ptr<Worker>> workers() const;

  /// Worker::stop() on every member at once, unless done before; returns the errors in member
  /// order. Call it once the scheduler returned, also after a cancelled run.
  [[nodiscard]] std::vector<Error> stop();
  /// Worker::sweep(`run_id`) on every member at once, also on those the run lost; returns the
  /// errors (sentences that say how to clean up by hand) in member order.
  [[nodiscard]] std::vector<Error> sweep(const std::string& run_id);

 private:
  std::vector<FleetCandidate> candidates_;
  std::vector<FleetMember> members_;
  std::vector<SkippedWorker> skipped_;
  bool stopped_ = false;
};

}  // namespace wharf::dispatch
