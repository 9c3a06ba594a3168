#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "wharf/dispatch/worker.hpp"

namespace wharf::dispatch {

/// The final outcome of one task after all its attempts.
struct TaskResult {
  std::string id;
  Attempt last;           ///< The attempt that decided the outcome (or a synthetic one, see below).
  unsigned attempts = 0;  ///< Attempts actually started; 0 when the task never started.
  std::vector<std::string> workers_tried;  ///< One name per attempt, in order.
};
// A task that never started (cancelled, or no worker left) gets a synthetic `last` with
// the status (cancelled / infrastructure_error) and an `error` sentence that says why. A task
// that was waiting for a retry keeps its last real attempt (worker, log, …) with that status
// and an error that names both the original failure and why it was not retried.

/// How many tasks are where. Every task is in exactly one of pending, running or one of the
/// final buckets, so pending + running + finished() == total at all times.
struct RunCounts {
  std::size_t total = 0;
  std::size_t pending = 0;  ///< Not started yet, or waiting for a retry.
  std::size_t running = 0;
  std::size_t succeeded = 0;  ///< Completed with exit code 0.
  std::size_t failed = 0;     ///< Completed with a non-zero exit code.
  std::size_t timed_out = 0;
  std::size_t failed_to_start = 0;
  std::size_t infrastructure_error = 0;
  std::size_t cancelled = 0;
  std::size_t retries = 0;  ///< Retry attempts started (not a bucket: informational).

  [[nodiscard]] std::size_t finished() const noexcept {
    return succeeded + failed + timed_out + failed_to_start + infrastructure_error + cancelled;
  }
  [[nodiscard]] bool all_succeeded() const noexcept { return succeeded == total; }

  friend bool operator==(const RunCounts&, const RunCounts&) = default;
};

/// Moves one task into the final bucket that matches `last`.
void count_final(RunCounts& counts, const Attempt& last) noexcept;

/// A worker that failed with an infrastructure error and got no more tasks afterwards.
struct LostWorker {
  std::string name;
  std::string error;  ///< The error of the attempt that lost it.
};

/// Everything a run produced.
struct RunReport {
  std::vector<TaskResult> results;  ///< One per task, in input order.
  RunCounts counts;
  std::vector<LostWorker> lost_workers;  ///< In the order they were lost.
  std::chrono::milliseconds wall_time{};
  bool cancelled = false;  ///< The run's cancel token was cancelled before it ended.
};

}  // namespace wharf::dispatch
