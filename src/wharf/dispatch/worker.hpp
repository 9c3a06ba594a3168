#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "wharf/dispatch/cancel_token.hpp"
#include "wharf/dispatch/task.hpp"

namespace wharf::dispatch {

/// How one attempt at a task ended. The scheduler's retry decisions depend only on this.
enum class AttemptStatus {
  /// The task ran; exit_code is its own (non-zero is a result, retried only when the run
  /// asks for it with SchedulerOptions::retry_failed_tasks).
  completed,
  /// Killed after its timeout: a result, not retried.
  timed_out,
  /// A problem of the task itself that another worker would hit too (image missing with
  /// --pull never, a pull error in the stream, bad args): reported, not retried.
  failed_to_start,
  /// The worker, its engine or the connection to it failed: the worker is marked lost
  /// (unless Attempt::worker_usable says only the attempt's container was) and the task is
  /// retried on another worker.
  infrastructure_error,
  /// The run was cancelled (Ctrl-C) while this attempt was running or before it started.
  cancelled,
};

/// "completed", "timed_out", "failed_to_start", "infrastructure_error", "cancelled".
[[nodiscard]] std::string_view to_string(AttemptStatus status) noexcept;

/// What one attempt produced. Workers fill what they know; the scheduler fills `worker`
/// (with the worker's name) and `duration` (its own measurement) when they are left empty.
struct Attempt {
  AttemptStatus status = AttemptStatus::infrastructure_error;
  int exit_code = -1;        ///< The task's exit code when completed; -1 when unknown.
  std::string worker;        ///< Name of the worker that ran it.
  std::string image;         ///< Image reference as run, e.g. "registry/app:v1.2.3".
  std::string image_digest;  ///< Registry digest of the image used, else its ID; "" if unknown.
  std::string error;         ///< A full sentence for every status but a clean completion.
  std::string log_path;      ///< Where the task's output was saved, if anywhere.
  std::chrono::milliseconds duration{};
  /// With infrastructure_error: the failure took only this attempt's container (killed or
  /// removed from outside mid-task), not the worker, which stays in the run. The task is
  /// retried like after any infrastructure error.
  bool worker_usable = false;

  /// Completed with exit code 0.
  [[nodiscard]] bool succeeded() const noexcept {
    return status == AttemptStatus::completed && exit_code == 0;
  }
};

/// What a worker needs to know about the attempt besides the task.
struct AttemptContext {
  std::string run_id;    ///< Same for every attempt of one run (for container names, labels).
  unsigned attempt = 1;  ///< 1 for the first attempt at this task, 2 for its first retry, …
  const CancelToken& cancel;
};

/// One place tasks can run: the local engine, an SSH host, a Swarm. Every backend implements
/// this; the scheduler knows nothing else about them.
class Worker {
 public:
  virtual ~Worker() = default;

  /// A short, unique, human name ("local", "ssh://build-2"), used in messages and results.
  [[nodiscard]] virtual const std::string& name() const = 0;

  /// How many attempts this worker may run at once (0 means it takes none).
  [[nodiscard]] virtual std::size_t slots() const = 0;

  /// Runs one attempt at `task` and reports how it ended. Called concurrently from up to
  /// slots() threads. Never throws (the scheduler turns an escaped exception into an
  /// infrastructure_error, which marks this worker lost). Returns promptly with status
  /// `cancelled` once `context.cancel` is cancelled, after cleaning up what it started.
  [[nodiscard]] virtual Attempt run(const TaskSpec& task, const AttemptContext& context) = 0;
};

}  // namespace wharf::dispatch
