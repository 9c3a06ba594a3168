#include "wharf/dispatch/results_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

#include "wharf/core/json_text.hpp"
#include "wharf/core/strings.hpp"

namespace wharf::dispatch {
namespace {

nlohmann::json string_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

Cell result_cell(const Attempt& last) {
  switch (last.status) {
    case AttemptStatus::completed:
      if (last.exit_code == 0) {
        return Cell("ok", Tone::good);
      }
      return Cell("exit " + std::to_string(last.exit_code), Tone::bad);
    case AttemptStatus::timed_out:
      return Cell("timed out", Tone::bad);
    case AttemptStatus::failed_to_start:
      return Cell("failed to start", Tone::bad);
    case AttemptStatus::infrastructure_error:
      return Cell("infrastructure error", Tone::bad);
    case AttemptStatus::cancelled:
      return Cell("cancelled", Tone::warn);
  }
  return Cell("?", Tone::bad);
}

std::string why(const std::string& what, const std::filesystem::path& path, int err) {
  return "cannot " + what + " the results file " + path.string() + ": " + std::strerror(err) +
         " — check that its folder exists, is writable and has free space.";
}

}  // namespace

nlohmann::json task_result_json(const TaskResult& result) {
  const auto& last = result.last;
  const bool has_exit_code = last.exit_code >= 0 && (last.status == AttemptStatus::completed ||
                                                     last.status == AttemptStatus::timed_out);
  return nlohmann::json{
      {"id", result.id},
      {"status", std::string(to_string(last.status))},
      {"exit_code", has_exit_code ? nlohmann::json(last.exit_code) : nlohmann::json(nullptr)},
      {"image", string_or_null(last.image)},
      {"image_digest", string_or_null(last.image_digest)},
      {"worker", string_or_null(last.worker)},
      {"attempts", result.attempts},
      {"duration_ms", last.duration.count()},
      {"log", string_or_null(last.log_path)},
      {"error", string_or_null(last.error)},
  };
}

nlohmann::json run_counts_json(const RunCounts& counts) {
  return nlohmann::json{{"total", counts.total},
                        {"pending", counts.pending},
                        {"running", counts.running},
                        {"succeeded", counts.succeeded},
                        {"failed", counts.failed},
                        {"timed_out", counts.timed_out},
                        {"failed_to_start", counts.failed_to_start},
                        {"infrastructure_error", counts.infrastructure_error},
                        {"cancelled", counts.cancelled},
                        {"retries", counts.retries}};
}

Result<ResultsFile> ResultsFile::open(const std::filesystem::path& path) {
  errno = 0;
  std::ofstream out(path, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!out) {
    return fail(ErrorKind::io, why("create", path, errno != 0 ? errno : EIO));
  }
  return ResultsFile(path, std::move(out));
}

Result<void> ResultsFile::write(const TaskResult& result) {
  // Invalid UTF-8 from a worker (a path, an error text) must not abort the whole file.
  const auto line = json_text(task_result_json(result));
  errno = 0;
  out_ << line << '\n';
  out_.flush();
  if (!out_) {
    const int err = errno != 0 ? errno : EIO;
    out_.clear();  // so later lines are still tried (the problem may be temporary)
    return fail(ErrorKind::io, why("write to", path_, err));
  }
  return {};
}

void ResultsFile::task_finished(const TaskSpec& /*task*/, const TaskResult& result) {
  if (auto written = write(result); !written && !first_error_) {
    first_error_ = std::move(written.error());
  }
}

Result<void> ResultsFile::status() const {
  if (first_error_) {
    return std::unexpected(*first_error_);
  }
  return {};
}

Table summary_table(const RunReport& report, SummaryRows rows) {
  Table table({"task", "result", "worker", "attempts", "time", "detail"});
  for (const auto& result : report.results) {
    const auto& last = result.last;
    if (rows == SummaryRows::problems && last.succeeded()) {
      continue;
    }
    const std::string& detail = last.error.empty() ? last.log_path : last.error;
    table.add_row({Cell(result.id), result_cell(last),
                   Cell(last.worker.empty() ? "-" : last.worker, Tone::dim),
                   Cell(std::to_string(result.attempts)),
                   Cell(result.attempts == 0 ? "-" : format_duration(last.duration)),
                   Cell(first_line(detail), last.error.empty() ? Tone::dim : Tone::plain)});
  }
  return table;
}

std::string summary_line(const RunReport& report) {
  const auto& c = report.counts;
  std::string text = std::to_string(c.total) + (c.total == 1 ? " task in " : " tasks in ") +
                     format_duration(report.wall_time) + ": ";
  if (c.total > 0 && c.all_succeeded()) {
    text += c.total == 1 ? "succeeded" : "all succeeded";
  } else {
    std::string parts;
    const auto part = [&](std::size_t n, const char* what) {
      if (n > 0) {
        parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
      }
    };
    part(c.succeeded, "succeeded");
    part(c.failed, "failed");
    part(c.timed_out, "timed out");
    part(c.failed_to_start, "failed to start");
    part(c.infrastructure_error, "infrastructure error");
    part(c.cancelled, "cancelled");
    text += parts.empty() ? "nothing to do" : parts;
  }
  if (c.retries > 0) {
    text += "; " + std::to_string(c.retries) + (c.retries == 1 ? " retry" : " retries");
  }
  if (!report.lost_workers.empty()) {
    text += "; lost workers: ";
    for (std::size_t i = 0; i < report.lost_workers.size(); ++i) {
      text += (i == 0 ? "" : ", ") + report.lost_workers[i].name;
    }
  }
  return text + ".";
}

std::string format_duration(std::chrono::milliseconds duration) {
  const long long ms = duration.count();
  char buffer[64];
  if (ms < 1000) {
    std::snprintf(buffer, sizeof buffer, "%lld ms", ms);
  } else if (ms < 60'000) {
    std::snprintf(buffer, sizeof buffer, "%lld.%lld s", ms / 1000, (ms % 1000) / 100);
  } else if (ms < 3'600'000) {
    std::snprintf(buffer, sizeof buffer, "%lld min %02lld s", ms / 60'000, (ms % 60'000) / 1000);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld h %02lld min", ms / 3'600'000,
                  (ms % 3'600'000) / 60'000);
  }
  return buffer;
}

}  // namespace wharf::dispatch
