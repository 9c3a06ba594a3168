#pragma once

// A Worker that runs nothing: it acts out what a task's args ask for, so scheduler tests can
// mix outcomes without Docker. The ledger, shared by all fakes of a test, counts every
// attempt per task and the highest concurrency seen, which is how tests prove that no task
// ran twice and that limits held.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "wharf/dispatch/worker.hpp"

namespace wharf::dispatch::test {

class Ledger {
 public:
  void enter(const std::string& worker, const std::string& task) {
    const std::lock_guard lock(mutex_);
    ++starts_[task];
    max_total_ = std::max(max_total_, ++total_);
    auto& now = in_flight_[worker];
    max_per_worker_[worker] = std::max(max_per_worker_[worker], ++now);
    changed_.notify_all();
  }
  void leave(const std::string& worker, const std::string& task, const Attempt& attempt) {
    const std::lock_guard lock(mutex_);
    --total_;
    --in_flight_[worker];
    ++attempts_[task];
    if (attempt.status == AttemptStatus::completed) {
      ++completions_[task];
    }
    ++runs_per_worker_[worker];
    changed_.notify_all();
  }
  /// Waits (up to 30 s, so a broken scheduler fails instead of hanging) until `n` attempts
  /// are in flight at once. Returns whether that happened.
  bool wait_until_in_flight(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return total_ >= n; });
  }
  /// Waits (up to 30 s) until an attempt at `task` has started. Returns whether it did.
  bool wait_until_started(const std::string& task) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return starts_[task] > 0; });
  }
  int max_total() const {
    const std::lock_guard lock(mutex_);
    return max_total_;
  }
  int max_on(const std::string& worker) const {
    const std::lock_guard lock(mutex_);
    const auto it = max_per_worker_.find(worker);
    return it == max_per_worker_.end() ? 0 : it->second;
  }
  int runs_on(const std::string& worker) const {
    const std::lock_guard lock(mutex_);
    const auto it = runs_per_worker_.find(worker);
    return it == runs_per_worker_.end() ? 0 : it->second;
  }
  int attempts_of(const std::string& task) const {
    const std::lock_guard lock(mutex_);
    const auto it = attempts_.find(task);
    return it == attempts_.end() ? 0 : it->second;
  }
  int completions_of(const std::string& task) const {
    const std::lock_guard lock(mutex_);
    const auto it = completions_.find(task);
    return it == completions_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int total_ = 0;
  int max_total_ = 0;
  std::map<std::string, int> in_flight_, max_per_worker_, runs_per_worker_, starts_, attempts_,
      completions_;
};

/// args[0] says what to do:
///   "exit" N         completes with exit code N
///   "timeout"        times out
///   "bad"            fails to start
///   "block"          waits for cancellation, then returns cancelled
///   "gate"           waits until the fake's gate opens (or cancellation), then exits 0
///   "flaky" N        exits 1 on attempts before N, 0 from attempt N on
///   "lostbox" N      on attempts before N its container is lost (infrastructure_error with
///                    worker_usable), then exits 0
///   anything else    exits 0
/// A fake can also be made to fail with an infrastructure error from its k-th run on.
class FakeWorker final : public Worker {
 public:
  FakeWorker(std::string name, std::size_t slots, Ledger& ledger)
      : name_(std::move(name)), slots_(slots), ledger_(ledger) {}

  const std::string& name() const override { return name_; }
  std::size_t slots() const override { return slots_; }

  /// From its `run_number`-th run on (1-based), every run is an infrastructure error.
  void fail_from_run(int run_number) { fail_from_ = run_number; }
  /// Throw instead of returning (a broken backend).
  void throw_from_run(int run_number) { throw_from_ = run_number; }

  void open_gate() {
    {
      const std::lock_guard lock(gate_mutex_);
      gate_open_ = true;
    }
    gate_.notify_all();
  }

  // --- Lifecycle, for fleet tests ---------------------------------------------------------

  /// Runs at the start of every prepare() (e.g. to wait until every fake is preparing).
  void on_prepare(std::function<void()> hook) { prepare_hook_ = std::move(hook); }
  /// prepare() reports this many progress events, as a pull would.
  void pull_on_prepare(int events) { pull_events_ = events; }
  void fail_prepare(Error error) { prepare_error_ = std::move(error); }
  void fail_sweep(Error error) { sweep_error_ = std::move(error); }
  void fail_stop(Error error) { stop_error_ = std::move(error); }
  int prepares() const { return prepares_; }
  int sweeps() const { return sweeps_; }
  int stops() const { return stops_; }
  /// The run id of the last sweep (read it after the sweep returned).
  const std::string& swept_run() const { return swept_run_; }

  Result<PreparedImage> prepare(const ImageReference& image, PullPolicy /*policy*/,
                                const PrepareProgressHandler& on_progress) override {
    ++prepares_;
    if (prepare_hook_) {
      prepare_hook_();
    }
    for (int event = 0; event < pull_events_ && on_progress; ++event) {
      on_progress(PrepareProgress{"layer " + std::to_string(event)});
    }
    if (prepare_error_) {
      return std::unexpected(*prepare_error_);
    }
    return PreparedImage{image.familiar(), "sha256:" + name_};
  }
  Result<std::size_t> sweep(const std::string& run_id) override {
    ++sweeps_;
    swept_run_ = run_id;
    if (sweep_error_) {
      return std::unexpected(*sweep_error_);
    }
    return 0;
  }
  Result<void> stop() override {
    ++stops_;
    if (stop_error_) {
      return std::unexpected(*stop_error_);
    }
    return {};
  }

  Attempt run(const TaskSpec& task, const AttemptContext& context) override {
    const int run_number = ++runs_;
    if (throw_from_ > 0 && run_number >= throw_from_) {
      throw std::runtime_error("fake worker exploded");
    }
    ledger_.enter(name_, task.id);
    Attempt attempt = act(task, context, run_number);
    ledger_.leave(name_, task.id, attempt);
    return attempt;
  }

 private:
  Attempt act(const TaskSpec& task, const AttemptContext& context, int run_number) {
    Attempt attempt;
    attempt.image = "example/app:v1";
    attempt.image_digest = "sha256:0123";
    if (fail_from_ > 0 && run_number >= fail_from_) {
      attempt.status = AttemptStatus::infrastructure_error;
      attempt.error = "connection to " + name_ + " was reset";
      return attempt;
    }
    const std::string& what = task.args.at(0);
    attempt.status = AttemptStatus::completed;
    attempt.exit_code = 0;
    if (what == "exit") {
      attempt.exit_code = std::stoi(task.args.at(1));
    } else if (what == "timeout") {
      attempt.status = AttemptStatus::timed_out;
      attempt.error = "timed out";
    } else if (what == "bad") {
      attempt.status = AttemptStatus::failed_to_start;
      attempt.error = "image missing";
    } else if (what == "block") {
      context.cancel.wait_for(std::chrono::hours(1));
      attempt.status = AttemptStatus::cancelled;
      attempt.error = "cancelled";
    } else if (what == "gate") {
      std::unique_lock lock(gate_mutex_);
      gate_.wait_for(lock, std::chrono::seconds(30), [&] { return gate_open_; });
    } else if (what == "flaky") {
      attempt.exit_code = context.attempt < std::stoul(task.args.at(1)) ? 1 : 0;
    } else if (what == "lostbox" && context.attempt < std::stoul(task.args.at(1))) {
      attempt.status = AttemptStatus::infrastructure_error;
      attempt.worker_usable = true;
      attempt.exit_code = -1;
      attempt.error = "the task's container vanished";
    }
    return attempt;
  }

  std::string name_;
  std::size_t slots_;
  Ledger& ledger_;
  std::atomic<int> runs_{0};
  int fail_from_ = 0;
  int throw_from_ = 0;
  std::function<void()> prepare_hook_;
  int pull_events_ = 0;
  std::optional<Error> prepare_error_, sweep_error_, stop_error_;
  std::atomic<int> prepares_{0}, sweeps_{0}, stops_{0};
  std::string swept_run_;
  std::mutex gate_mutex_;
  std::condition_variable gate_;
  bool gate_open_ = false;
};

}  // namespace wharf::dispatch::test
