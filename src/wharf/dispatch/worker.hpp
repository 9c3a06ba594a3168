#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/dispatch/cancel_token.hpp"
#include "wharf/dispatch/pull_policy.hpp"
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

/// The image a worker made ready for a run's tasks (Worker::prepare()).
struct PreparedImage {
  std::string reference;  ///< As the tasks run it, in familiar form ("registry/app:v1.2.3").
  /// What results report as `image_digest`, never empty: the registry digest when the backend
  /// knows one, else the image's local ID (which still names exactly the content run).
  std::string digest;
};

/// How far fetching the run's image onto a worker got, in words any backend can give.
struct PrepareProgress {
  std::string summary;  ///< e.g. "2/3 layers, 1.2 MB of 3.4 MB", or the backend's status.
};
using PrepareProgressHandler = std::function<void(const PrepareProgress&)>;

/// One place tasks can run: the local engine, an SSH host, a Swarm. Every backend implements
/// this; the scheduler and the fleet know nothing else about them.
///
/// Lifecycle: prepare() once, then run() as often as the scheduler likes, then stop() and
/// sweep() once no run() is in progress. A worker whose prepare() failed gets no task.
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

  /// Makes `image` ready for this worker's tasks, with `docker run --pull`'s semantics:
  /// missing pulls only when the backend does not have it (no registry contact otherwise),
  /// always pulls (the registry decides whether anything changed), never fails with not_found
  /// and a sentence saying what to run when it is absent. From then on run() runs tasks in
  /// the image returned. Called once, before any run(); may run concurrently with other
  /// workers' prepare(). `on_progress` (may be empty) is called from the calling thread only
  /// while a pull is actually made. Fails with the backend's error as it comes (its message
  /// need not name the worker; the caller adds that): unavailable or timeout when the backend
  /// cannot be reached, not_found, permission or remote when the registry refused the image.
  [[nodiscard]] virtual Result<PreparedImage> prepare(
      const ImageReference& image, PullPolicy policy,
      const PrepareProgressHandler& on_progress) = 0;

  /// Removes whatever the run `run_id` left on this worker (every attempt cleans up after
  /// itself; this is the guarantee when one could not, e.g. its connection broke) and returns
  /// how many things it removed. Called once after the run, also after a cancelled one and for
  /// a worker the scheduler marked lost (a backend that came back is cleaned then), never
  /// while run() is in progress. Fails with a full sentence that names the run and this worker
  /// and says how to clean up by hand; leftovers that vanished meanwhile are not an error.
  [[nodiscard]] virtual Result<std::size_t> sweep(const std::string& run_id) = 0;

  /// Releases what the worker holds between attempts (a warm pool's containers); it takes no
  /// task afterwards. Called once no run() is in progress — after the run, also a cancelled
  /// one; idempotent. A worker that holds nothing between attempts just succeeds. Fails with
  /// the backend's error when something could not be released (already gone is not an error).
  [[nodiscard]] virtual Result<void> stop() = 0;
};

}  // namespace wharf::dispatch
