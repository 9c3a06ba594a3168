#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "wharf/core/error.hpp"
#include "wharf/engine/log_demuxer.hpp"

namespace wharf::backends {

/// Where one attempt's output goes: `<logs_dir>/<task_id>.log` (stdout and stderr
/// interleaved as they arrive, flushed per piece so `tail -f` works) and, when set, a live
/// sink (`wharf run` streams the task to the terminal). Shared by every local backend so a
/// task's log looks the same however it ran.
class TaskOutput {
 public:
  /// Opens (truncates) the log file, creating `logs_dir` when missing; an empty `logs_dir`
  /// saves nothing. Fails with a sentence naming the file when it cannot be written.
  [[nodiscard]] static Result<TaskOutput> open(const std::filesystem::path& logs_dir,
                                               const std::string& task_id,
                                               engine::LogSink live_output);

  /// The log file's path, or "" when output is not saved.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// A sink that writes to the log file and the live sink; valid while this object lives.
  [[nodiscard]] engine::LogSink sink();
  /// Flushes and closes the log file.
  void close();

 private:
  std::string path_;
  std::ofstream file_;
  engine::LogSink live_output_;
};

}  // namespace wharf::backends
