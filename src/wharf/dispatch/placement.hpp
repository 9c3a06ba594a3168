#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace wharf::dispatch {

/// Decides which worker runs the next attempt. Pure bookkeeping, no threads and no I/O, so
/// the policy is unit-tested on its own; the Scheduler owns one and calls it from a single
/// thread (it is not thread-safe).
///
/// Policy:
/// - A worker never runs more than its slots, and all workers together never run more than
///   the global parallel limit.
/// - Among workers with a free slot, the one with the most free slots wins (so load spreads
///   evenly); ties go to the worker listed first.
/// - Workers the task was already tried on are avoided while another worker has a free slot
///   *now*; the task does not wait for an untried worker that is busy.
/// - A lost worker (after an infrastructure error) gets no more tasks for the rest of the
///   run. It is not re-probed: a flaky host would otherwise keep eating retries; the next
///   run probes it afresh.
class Placement {
 public:
  /// `slots[i]` is worker i's capacity; `parallel` caps the total (0 = sum of slots).
  Placement(std::vector<std::size_t> slots, std::size_t parallel);

  /// The worker for the next attempt of a task already tried on `tried` (worker indexes,
  /// repeats allowed), or nullopt when no worker can take one now (all busy, limit reached,
  /// or all lost).
  [[nodiscard]] std::optional<std::size_t> pick(std::span<const std::size_t> tried = {}) const;

  /// Records that an attempt started on `worker`. Precondition: pick() could return it.
  void start(std::size_t worker);
  /// Records that an attempt on `worker` returned (lost workers too).
  void finish(std::size_t worker);
  /// No more attempts go to `worker`. Its running attempts still finish() normally.
  void mark_lost(std::size_t worker);

  [[nodiscard]] bool lost(std::size_t worker) const { return workers_.at(worker).lost; }
  [[nodiscard]] std::size_t running(std::size_t worker) const {
    return workers_.at(worker).running;
  }
  /// Attempts running on all workers together.
  [[nodiscard]] std::size_t running() const { return running_; }
  /// The effective global limit: min(parallel, sum of slots); 0 when no worker has a slot.
  [[nodiscard]] std::size_t limit() const { return limit_; }
  /// True while some worker that is not lost has at least one slot: waiting can still help.
  [[nodiscard]] bool can_ever_place() const;
  [[nodiscard]] std::size_t worker_count() const { return workers_.size(); }

 private:
  struct WorkerState {
    std::size_t slots = 0;
    std::size_t running = 0;
    bool lost = false;
  };
  std::vector<WorkerState> workers_;
  std::size_t limit_ = 0;
  std::size_t running_ = 0;
};

}  // namespace wharf::dispatch
