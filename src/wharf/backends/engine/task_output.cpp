#include "wharf/backends/engine/task_output.hpp"

#include <system_error>

namespace wharf::backends {

Result<TaskOutput> TaskOutput::open(const std::filesystem::path& logs_dir,
                                    const std::string& task_id, engine::LogSink live_output) {
  TaskOutput output;
  output.live_output_ = std::move(live_output);
  if (logs_dir.empty()) {
    return output;
  }
  std::error_code ignored;  // A failure shows up as the open() below failing.
  std::filesystem::create_directories(logs_dir, ignored);
  output.path_ = (logs_dir / (task_id + ".log")).string();
  output.file_.open(output.path_, std::ios::binary | std::ios::trunc);
  if (!output.file_) {
    return fail(ErrorKind::io, "cannot write the log file " + output.path_ +
                                   " — check that the --logs directory is writable.");
  }
  return output;
}

engine::LogSink TaskOutput::sink() {
  return [this](engine::LogStream stream, std::string_view bytes) {
    if (file_.is_open()) {
      file_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      file_.flush();
    }
    if (live_output_) {
      live_output_(stream, bytes);
    }
  };
}

void TaskOutput::close() {
  if (file_.is_open()) {
    file_.close();
  }
}

}  // namespace wharf::backends
