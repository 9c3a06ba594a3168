#include "wharf/dispatch/scheduler.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "wharf/dispatch/placement.hpp"

namespace wharf::dispatch {
namespace {

using Clock = std::chrono::steady_clock;

struct Assignment {
  const TaskSpec* task = nullptr;
  std::size_t task_index = 0;
  std::size_t worker_index = 0;
  unsigned attempt = 1;
};

struct Completion {
  std::size_t task_index = 0;
  std::size_t worker_index = 0;
  Attempt attempt;
};

// Runs one attempt and makes sure the result names its worker and duration, whatever the
// worker filled in. A worker that throws breaks its contract; treating that as an
// infrastructure error keeps the run going and stops sending it tasks.
Attempt run_attempt(Worker& worker, const Assignment& job, const std::string& run_id,
                    const CancelToken& cancel) {
  const auto started = Clock::now();
  Attempt attempt;
  // An assignment still queued when the run was cancelled never reaches the backend, so it
  // does not pull an image or create a container only to tear it down again.
  if (cancel.cancelled()) {
    attempt.status = AttemptStatus::cancelled;
    attempt.error = "the run was cancelled before this attempt started.";
    attempt.worker = worker.name();
    return attempt;
  }
  try {
    attempt = worker.run(*job.task, AttemptContext{run_id, job.attempt, cancel});
  } catch (const std::exception& error) {
    attempt = Attempt{};
    attempt.status = AttemptStatus::infrastructure_error;
    attempt.error = "worker " + worker.name() + " failed unexpectedly: " + error.what() +
                    " — this is a bug in wharf; please report it.";
  } catch (...) {
    attempt = Attempt{};
    attempt.status = AttemptStatus::infrastructure_error;
    attempt.error = "worker " + worker.name() +
                    " failed unexpectedly — this is a bug in wharf; please report it.";
  }
  if (attempt.worker.empty()) {
    attempt.worker = worker.name();
  }
  if (attempt.duration == std::chrono::milliseconds::zero()) {
    attempt.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  }
  return attempt;
}

/// The slot threads and the two queues between them and the coordinator. The destructor
/// stops and joins the threads (after their current attempt), also when the coordinator
/// leaves by an exception.
class SlotPool {
 public:
  SlotPool(std::size_t threads, const std::vector<std::shared_ptr<Worker>>& workers,
           const std::string& run_id, const CancelToken& cancel)
      : workers_(workers), run_id_(run_id), cancel_(cancel) {
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { serve(); });
    }
  }
  SlotPool(const SlotPool&) = delete;
  SlotPool& operator=(const SlotPool&) = delete;

  ~SlotPool() {
    {
      const std::lock_guard lock(mutex_);
      closing_ = true;
    }
    work_ready_.notify_all();
    threads_.clear();  // joins
  }

  void submit(std::vector<Assignment>& jobs) {
    if (jobs.empty()) {
      return;
    }
    {
      const std::lock_guard lock(mutex_);
      assignments_.insert(assignments_.end(), jobs.begin(), jobs.end());
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      work_ready_.notify_one();
    }
    jobs.clear();
  }

  /// Blocks until at least one attempt has returned, then hands over all that have.
  void wait_for_completions(std::vector<Completion>& out) {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return !completions_.empty(); });
    out.swap(completions_);
  }

 private:
  void serve() {
    for (;;) {
      Assignment job;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [this] { return closing_ || !assignments_.empty(); });
        if (assignments_.empty()) {
          return;
        }
        job = assignments_.front();
        assignments_.pop_front();
      }
      auto attempt = run_attempt(*workers_[job.worker_index], job, run_id_, cancel_);
      {
        const std::lock_guard lock(mutex_);
        completions_.push_back(Completion{job.task_index, job.worker_index, std::move(attempt)});
      }
      done_.notify_one();
    }
  }

  const std::vector<std::shared_ptr<Worker>>& workers_;
  const std::string& run_id_;
  const CancelToken& cancel_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable done_;
  std::deque<Assignment> assignments_;
  std::vector<Completion> completions_;
  bool closing_ = false;
  std::vector<std::jthread> threads_;  // last: joined before the members above go away
};

/// Per-task bookkeeping of the coordinator.
struct TaskState {
  unsigned attempts = 0;
  std::vector<std::size_t> tried;  // worker indexes, one per attempt
  std::optional<Attempt> last;     // the last attempt that returned, if any
};

std::string lost_workers_text(const std::vector<LostWorker>& lost) {
  std::string text;
  for (const auto& worker : lost) {
    text += (text.empty() ? "" : "; ") + worker.name + ": " + worker.error;
  }
  return text;
}

/// The coordinator of one run: owns all mutable state of the run except the queues.
class Coordinator {
 public:
  Coordinator(const std::vector<std::shared_ptr<Worker>>& workers, const SchedulerOptions& options,
              const std::vector<TaskSpec>& tasks, const CancelToken& cancel, EventSink& events)
      : workers_(workers),
        options_(options),
        tasks_(tasks),
        cancel_(cancel),
        events_(events),
        placement_(slots_of(workers), options.parallel),
        states_(tasks.size()) {
    report_.results.resize(tasks.size());
    report_.counts.total = tasks.size();
    report_.counts.pending = tasks.size();
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      pending_.push_back(i);
    }
  }

  RunReport run(const std::string& run_id) {
    const auto started = Clock::now();
    events_.progress(report_.counts);
    {
      SlotPool pool(std::min(placement_.limit(), tasks_.size()), workers_, run_id, cancel_);
      std::vector<Assignment> jobs;
      std::vector<Completion> completions;
      for (;;) {
        if (!cancel_.cancelled()) {
          place_pending(jobs);
          pool.submit(jobs);
          if (!pending_.empty() && !placement_.can_ever_place()) {
            end_pending(AttemptStatus::infrastructure_error);
          }
        }
        if (placement_.running() == 0) {
          if (!pending_.empty()) {
            // Nothing runs, so nothing will change: either cancelled, or a placement bug.
            end_pending(cancel_.cancelled() ? AttemptStatus::cancelled
                                            : AttemptStatus::infrastructure_error);
          }
          break;
        }
        events_.progress(report_.counts);
        pool.wait_for_completions(completions);
        for (auto& completion : completions) {
          handle(std::move(completion));
        }
        completions.clear();
      }
    }
    report_.cancelled = cancel_.cancelled();
    report_.wall_time =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    events_.progress(report_.counts);
    return std::move(report_);
  }

 private:
  static std::vector<std::size_t> slots_of(const std::vector<std::shared_ptr<Worker>>& workers) {
    std::vector<std::size_t> slots;
    slots.reserve(workers.size());
    for (const auto& worker : workers) {
      slots.push_back(worker->slots());
    }
    return slots;
  }

  void place_pending(std::vector<Assignment>& jobs) {
    while (!pending_.empty()) {
      const std::size_t index = pending_.front();
      auto& state = states_[index];
      const auto worker = placement_.pick(state.tried);
      if (!worker) {
        return;
      }
      pending_.pop_front();
      placement_.start(*worker);
      ++state.attempts;
      state.tried.push_back(*worker);
      --report_.counts.pending;
      ++report_.counts.running;
      if (state.attempts > 1) {
        ++report_.counts.retries;
      }
      jobs.push_back(Assignment{&tasks_[index], index, *worker, state.attempts});
      events_.task_started(tasks_[index], workers_[*worker]->name(), state.attempts);
    }
  }

  void handle(Completion completion) {
    const std::size_t index = completion.task_index;
    const std::size_t worker = completion.worker_index;
    auto& attempt = completion.attempt;
    placement_.finish(worker);
    --report_.counts.running;

    if (attempt.status == AttemptStatus::infrastructure_error && !attempt.worker_usable &&
        !placement_.lost(worker)) {
      placement_.mark_lost(worker);
      report_.lost_workers.push_back(LostWorker{workers_[worker]->name(), attempt.error});
      events_.worker_lost(workers_[worker]->name(), attempt.error);
    }

    auto& state = states_[index];
    const bool retryable = attempt.status == AttemptStatus::infrastructure_error ||
                           (options_.retry_failed_tasks &&
                            attempt.status == AttemptStatus::completed && attempt.exit_code != 0);
    if (retryable && state.attempts <= options_.retries && !cancel_.cancelled()) {
      events_.task_retrying(tasks_[index], attempt, state.attempts + 1);
      state.last = std::move(attempt);
      // Retries go first: they have waited longest, and it keeps the tail of a run short.
      pending_.push_front(index);
      ++report_.counts.pending;
      return;
    }
    finish(index, std::move(attempt));
  }

  void finish(std::size_t index, Attempt last) {
    auto& result = report_.results[index];
    const auto& state = states_[index];
    result.id = tasks_[index].id;
    result.attempts = state.attempts;
    result.workers_tried.clear();
    for (const auto worker : state.tried) {
      result.workers_tried.push_back(workers_[worker]->name());
    }
    result.last = std::move(last);
    count_final(report_.counts, result.last);
    events_.task_finished(tasks_[index], result);
  }

  // Ends every task that is still waiting, because the run was cancelled or because no
  // usable worker is left.
  void end_pending(AttemptStatus status) {
    const std::string why = reason_not_started(status);
    while (!pending_.empty()) {
      const std::size_t index = pending_.front();
      pending_.pop_front();
      --report_.counts.pending;
      auto& state = states_[index];
      Attempt last;
      if (state.last) {
        last = *state.last;
        last.error = "attempt " + std::to_string(state.attempts) + " failed (" + last.error +
                     ") and it was not retried: " + why;
      } else {
        last.error = "the task did not start: " + why;
      }
      last.status = status;
      last.exit_code = -1;
      finish(index, std::move(last));
    }
  }

  std::string reason_not_started(AttemptStatus status) const {
    if (status == AttemptStatus::cancelled) {
      return "the run was cancelled.";
    }
    if (!report_.lost_workers.empty()) {
      return "no worker is left, all were lost (" + lost_workers_text(report_.lost_workers) +
             ") — fix those workers and run the remaining tasks again.";
    }
    return "no worker has a free slot (there are " + std::to_string(workers_.size()) +
           " workers with " + std::to_string(placement_.limit()) +
           " usable slots) — give the run at least one worker with a slot and a parallel "
           "limit above 0.";
  }

  const std::vector<std::shared_ptr<Worker>>& workers_;
  const SchedulerOptions& options_;
  const std::vector<TaskSpec>& tasks_;
  const CancelToken& cancel_;
  EventSink& events_;
  Placement placement_;
  std::vector<TaskState> states_;
  std::deque<std::size_t> pending_;
  RunReport report_;
};

}  // namespace

Scheduler::Scheduler(std::vector<std::shared_ptr<Worker>> workers, SchedulerOptions options)
    : workers_(std::move(workers)), options_(options) {
  for (const auto& worker : workers_) {
    if (!worker) {
      throw std::invalid_argument("Scheduler: a worker is null");
    }
  }
}

RunReport Scheduler::run(const std::vector<TaskSpec>& tasks, const std::string& run_id,
                         const CancelToken& cancel, EventSink* events) const {
  EventSink silent;
  Coordinator coordinator(workers_, options_, tasks, cancel, events ? *events : silent);
  return coordinator.run(run_id);
}

}  // namespace wharf::dispatch
