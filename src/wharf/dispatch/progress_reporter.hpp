#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "wharf/dispatch/event_sink.hpp"

namespace wharf::dispatch {

struct ProgressOptions {
  /// A terminal: keep one live status line at the bottom (redrawn in place with \r), and
  /// print only noteworthy events (failures, retries, lost workers) above it. Otherwise
  /// (a pipe, CI logs): plain lines, one per finished task, nothing redrawn.
  bool live = false;
  bool color = false;
  /// Least time between two redraws of the live line, so 100 000 quick tasks do not flood
  /// the terminal. The final state is always drawn.
  std::chrono::milliseconds redraw_interval{100};
};

/// An EventSink that shows a run's progress to a person (normally on stderr, so stdout
/// stays clean for --json). Call finish() after Scheduler::run() to end the live line.
class ProgressReporter final : public EventSink {
 public:
  ProgressReporter(std::ostream& out, ProgressOptions options) : out_(out), options_(options) {}

  void task_retrying(const TaskSpec& task, const Attempt& failed, unsigned next_attempt) override;
  void task_finished(const TaskSpec& task, const TaskResult& result) override;
  void worker_lost(const std::string& worker, const std::string& error) override;
  void progress(const RunCounts& counts) override;

  /// Draws the final counts and ends the live line with a newline (no-op for plain output).
  void finish();

  /// The live line's text for `counts`, e.g. "[37/100] 4 running, 30 ok, 2 failed, 1 pending".
  [[nodiscard]] static std::string status_text(const RunCounts& counts);

 private:
  void print_line(const std::string& line);
  void redraw(bool force);

  std::ostream& out_;
  ProgressOptions options_;
  RunCounts counts_;
  std::size_t finished_ = 0;
  bool line_drawn_ = false;
  std::chrono::steady_clock::time_point last_redraw_{};
};

}  // namespace wharf::dispatch
