#include "wharf/dispatch/progress_reporter.hpp"

#include "wharf/core/strings.hpp"
#include "wharf/dispatch/results_file.hpp"
#include "wharf/output/table.hpp"

namespace wharf::dispatch {
namespace {

// Returns to the start of the line and clears it, so a log line can replace the live line.
constexpr const char* kClearLine = "\r\x1b[K";

std::string outcome(const Attempt& last) {
  switch (last.status) {
    case AttemptStatus::completed:
      return last.exit_code == 0 ? "ok" : "failed (exit " + std::to_string(last.exit_code) + ")";
    case AttemptStatus::timed_out:
      return "timed out";
    case AttemptStatus::failed_to_start:
      return "failed to start";
    case AttemptStatus::infrastructure_error:
      return "infrastructure error";
    case AttemptStatus::cancelled:
      return "cancelled";
  }
  return "?";
}

Tone tone_of(const Attempt& last) {
  if (last.succeeded()) {
    return Tone::good;
  }
  return last.status == AttemptStatus::cancelled ? Tone::warn : Tone::bad;
}

}  // namespace

std::string ProgressReporter::status_text(const RunCounts& c) {
  std::string text = "[" + std::to_string(c.finished()) + "/" + std::to_string(c.total) + "] " +
                     std::to_string(c.running) + " running, " + std::to_string(c.succeeded) + " ok";
  const auto part = [&](std::size_t n, const char* what) {
    if (n > 0) {
      text += ", " + std::to_string(n) + " " + what;
    }
  };
  part(c.failed, "failed");
  part(c.timed_out, "timed out");
  part(c.failed_to_start, "failed to start");
  part(c.infrastructure_error, "infrastructure error");
  part(c.cancelled, "cancelled");
  part(c.pending, "pending");
  return text;
}

void ProgressReporter::print_line(const std::string& line) {
  if (options_.live && line_drawn_) {
    out_ << kClearLine;
    line_drawn_ = false;
  }
  out_ << line << '\n';
  if (options_.live) {
    redraw(true);
  } else {
    out_.flush();
  }
}

void ProgressReporter::redraw(bool force) {
  if (!options_.live) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (!force && line_drawn_ && now - last_redraw_ < options_.redraw_interval) {
    return;
  }
  last_redraw_ = now;
  out_ << kClearLine << status_text(counts_) << std::flush;
  line_drawn_ = true;
}

void ProgressReporter::task_retrying(const TaskSpec& task, const Attempt& failed,
                                     unsigned next_attempt) {
  print_line(paint("retrying", Tone::warn, options_.color) + " " + task.id + " (attempt " +
             std::to_string(next_attempt) + ") after " + outcome(failed) + " on " + failed.worker +
             (failed.error.empty() ? "" : ": " + first_line(failed.error)));
}

void ProgressReporter::task_finished(const TaskSpec& task, const TaskResult& result) {
  const auto& last = result.last;
  // Counted here, not taken from counts_: several tasks can finish between progress events.
  ++finished_;
  // On a terminal, successes only move the counter; everything else deserves a line.
  if (options_.live && last.succeeded()) {
    return;
  }
  std::string line = "[" + std::to_string(finished_) + "/" + std::to_string(counts_.total) + "] " +
                     paint(outcome(last), tone_of(last), options_.color) + " " + task.id;
  if (result.attempts > 0) {
    line += " (" + last.worker + ", " + format_duration(last.duration) +
            (result.attempts > 1 ? ", attempt " + std::to_string(result.attempts) : "") + ")";
  }
  if (!last.error.empty()) {
    line += ": " + first_line(last.error);
  } else if (!last.log_path.empty() && !last.succeeded()) {
    line += "; log: " + last.log_path;
  }
  print_line(line);
}

void ProgressReporter::worker_lost(const std::string& worker, const std::string& error) {
  print_line(paint("worker lost", Tone::bad, options_.color) + " " + worker + ": " +
             first_line(error) + " (it gets no more tasks in this run)");
}

void ProgressReporter::progress(const RunCounts& counts) {
  counts_ = counts;
  redraw(false);
}

void ProgressReporter::finish() {
  if (!options_.live) {
    return;
  }
  redraw(true);
  out_ << '\n' << std::flush;
  line_drawn_ = false;
}

}  // namespace wharf::dispatch
