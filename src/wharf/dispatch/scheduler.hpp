#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "wharf/dispatch/cancel_token.hpp"
#include "wharf/dispatch/event_sink.hpp"
#include "wharf/dispatch/run_report.hpp"
#include "wharf/dispatch/task.hpp"
#include "wharf/dispatch/worker.hpp"

namespace wharf::dispatch {

struct SchedulerOptions {
  /// At most this many attempts run at once over all workers; 0 = the sum of their slots.
  std::size_t parallel = 0;
  /// Extra attempts a task may get after a retryable failure: an infrastructure_error
  /// always, a non-zero exit only with retry_failed_tasks. Timeouts, failed_to_start and
  /// cancellations are results and never retried.
  unsigned retries = 0;
  /// Also retry tasks that completed with a non-zero exit code (flaky tests).
  bool retry_failed_tasks = false;
};

/// Runs tasks over workers (any backend) and reports one result per task.
///
/// Guarantees:
/// - Placement follows the Placement policy: never more than a worker's slots or the global
///   limit; most free slots first; a retry prefers a worker the task has not run on.
/// - A worker that returns infrastructure_error is lost for the rest of the run (see
///   Placement); the task is retried elsewhere while it has retries left. A task is never
///   lost and never runs again after completing, unless retry_failed_tasks asks for that
///   after a non-zero exit. When no usable worker is left, the remaining tasks end as
///   infrastructure_error with a message naming the lost workers.
/// - Cancellation (the token): no new attempt starts; the running ones are expected to
///   return `cancelled` promptly (Worker::run's contract) and run() waits for all of them,
///   so every container is cleaned up before it returns; tasks not started end `cancelled`.
///
/// Execution: one std::jthread per slot that can be in use (min of the limit and the number
/// of tasks), each running attempts handed to it; the thread calling run() coordinates,
/// places attempts, and calls the EventSink.
class Scheduler {
 public:
  /// Throws std::invalid_argument for a null worker (a programming error).
  explicit Scheduler(std::vector<std::shared_ptr<Worker>> workers, SchedulerOptions options = {});

  /// Runs every task to a final outcome and returns the report (results in input order).
  /// `run_id` is passed to workers in AttemptContext. `events` may be null. Blocks until
  /// done; safe to call again for another run. Task ids are assumed unique
  /// (parse_task_file ensures it).
  [[nodiscard]] RunReport run(const std::vector<TaskSpec>& tasks, const std::string& run_id,
                              const CancelToken& cancel, EventSink* events = nullptr) const;

  [[nodiscard]] const std::vector<std::shared_ptr<Worker>>& workers() const { return workers_; }
  [[nodiscard]] const SchedulerOptions& options() const { return options_; }

 private:
  std::vector<std::shared_ptr<Worker>> workers_;
  SchedulerOptions options_;
};

}  // namespace wharf::dispatch
