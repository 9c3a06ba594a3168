#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "wharf/dispatch/run_report.hpp"
#include "wharf/dispatch/task.hpp"
#include "wharf/dispatch/worker.hpp"

namespace wharf::dispatch {

/// What a run tells the outside world while it goes (live progress line on a TTY, plain log
/// lines otherwise, the --results file). The scheduler calls every method from the thread
/// that called Scheduler::run(), one call at a time, so implementations need no locking;
/// they should return quickly because no task is placed while they run. The default
/// implementations do nothing, so a sink overrides only what it needs. Must not throw.
class EventSink {
 public:
  virtual ~EventSink() = default;

  /// An attempt at `task` was handed to `worker`; `attempt` is 1 for the first one.
  virtual void task_started(const TaskSpec& /*task*/, const std::string& /*worker*/,
                            unsigned /*attempt*/) {}
  /// `failed` did not settle the task; attempt number `next_attempt` is queued.
  virtual void task_retrying(const TaskSpec& /*task*/, const Attempt& /*failed*/,
                             unsigned /*next_attempt*/) {}
  /// The task reached its final outcome (exactly once per task, also for tasks that never
  /// started because the run was cancelled or no worker was left).
  virtual void task_finished(const TaskSpec& /*task*/, const TaskResult& /*result*/) {}
  /// `worker` failed with an infrastructure error and gets no more tasks in this run.
  virtual void worker_lost(const std::string& /*worker*/, const std::string& /*error*/) {}
  /// Counts after a batch of the events above (and once at the start and at the end).
  virtual void progress(const RunCounts& /*counts*/) {}
};

/// Forwards every event to several sinks in order (e.g. the progress line and the results
/// file). Does not own them; they must outlive it.
class EventFanout final : public EventSink {
 public:
  EventFanout(std::initializer_list<EventSink*> sinks) : sinks_(sinks) {}

  void task_started(const TaskSpec& task, const std::string& worker, unsigned attempt) override {
    for (auto* sink : sinks_) {
      sink->task_started(task, worker, attempt);
    }
  }
  void task_retrying(const TaskSpec& task, const Attempt& failed, unsigned next) override {
    for (auto* sink : sinks_) {
      sink->task_retrying(task, failed, next);
    }
  }
  void task_finished(const TaskSpec& task, const TaskResult& result) override {
    for (auto* sink : sinks_) {
      sink->task_finished(task, result);
    }
  }
  void worker_lost(const std::string& worker, const std::string& error) override {
    for (auto* sink : sinks_) {
      sink->worker_lost(worker, error);
    }
  }
  void progress(const RunCounts& counts) override {
    for (auto* sink : sinks_) {
      sink->progress(counts);
    }
  }

 private:
  std::vector<EventSink*> sinks_;
};

}  // namespace wharf::dispatch
