#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/error.hpp"
#include "wharf/dispatch/event_sink.hpp"
#include "wharf/dispatch/run_report.hpp"
#include "wharf/output/table.hpp"

namespace wharf::dispatch {

/// One task's result as a JSON object, the same for `--results` lines and `--json` output:
///   {"id", "status" (to_string(AttemptStatus)), "exit_code" (null unless known), "image",
///    "image_digest", "worker", "attempts", "duration_ms", "log", "error"}
/// where image, image_digest, worker, log and error are null when empty. image_digest is the
/// image's registry (manifest) digest when it has one, else its local image ID; both read
/// "sha256:…", and the ID is what an image built or imported on the engine gets.
[[nodiscard]] nlohmann::json task_result_json(const TaskResult& result);

/// Counts of a run as a JSON object with the RunCounts field names.
[[nodiscard]] nlohmann::json run_counts_json(const RunCounts& counts);

/// The `--results FILE` writer: one JSON line per task (task_result_json), written and
/// flushed as each task finishes, so whatever finished is on disk even if the run is killed.
/// Plug it into the scheduler as an EventSink (alone or through an EventFanout).
class ResultsFile final : public EventSink {
 public:
  /// Creates or truncates `path`. Fails with ErrorKind::io naming the path and the reason.
  [[nodiscard]] static Result<ResultsFile> open(const std::filesystem::path& path);

  /// Appends and flushes one line. Fails with ErrorKind::io (disk full, file removed, …).
  [[nodiscard]] Result<void> write(const TaskResult& result);

  /// EventSink: writes the result. An event cannot return an error, so the first one is
  /// kept (and later lines are still attempted); ask status() after the run.
  void task_finished(const TaskSpec& task, const TaskResult& result) override;

  /// The first write error of task_finished, if any.
  [[nodiscard]] Result<void> status() const;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  ResultsFile(std::filesystem::path path, std::ofstream out)
      : path_(std::move(path)), out_(std::move(out)) {}

  std::filesystem::path path_;
  std::ofstream out_;
  std::optional<Error> first_error_;
};

/// Which tasks the end-of-run table lists.
enum class SummaryRows {
  all,       ///< Every task.
  problems,  ///< Only tasks that did not succeed (for big runs).
};

/// The end-of-run table: task, result ("ok", "exit 3", "timed out", "failed to start",
/// "infrastructure error", "cancelled"), worker, attempts, time, and a detail column with the
/// first line of the error or else the log path. Rows in input order.
[[nodiscard]] Table summary_table(const RunReport& report, SummaryRows rows = SummaryRows::all);

/// One sentence for the end of a run, e.g. "6 tasks in 12.3 s: 3 succeeded, 1 failed,
/// 1 timed out, 1 failed to start; 2 retries; lost workers: b." Buckets that are 0 are left
/// out; a run where everything succeeded reads "6 tasks in 1.2 s: all succeeded."
[[nodiscard]] std::string summary_line(const RunReport& report);

/// "850 ms", "12.3 s", "2 min 05 s", "1 h 02 min".
[[nodiscard]] std::string format_duration(std::chrono::milliseconds duration);

}  // namespace wharf::dispatch
