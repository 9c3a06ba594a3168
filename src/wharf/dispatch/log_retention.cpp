#include "wharf/dispatch/log_retention.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

namespace wharf::dispatch {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

}  // namespace

std::filesystem::path default_run_logs_dir(const std::filesystem::path& project_root,
                                           const std::string& run_id) {
  return project_root / ".wharf" / "logs" / run_id;
}

bool looks_like_run_id(std::string_view name) noexcept {
  // yyyymmddThhmmss-xxxxxx, with a lower-case 't' and six hex digits.
  constexpr std::size_t kLength = 22;
  if (name.size() != kLength || name[8] != 't' || name[15] != '-') {
    return false;
  }
  for (std::size_t i = 0; i < kLength; ++i) {
    if (i == 8 || i == 15) {
      continue;
    }
    if (i < 15 ? !is_digit(name[i]) : !is_hex(name[i])) {
      return false;
    }
  }
  return true;
}

Result<std::size_t> prune_run_logs(const std::filesystem::path& logs_root, std::size_t keep,
                                   const std::string& current_run) {
  if (keep == 0) {
    return 0;
  }
  std::error_code error;
  struct Run {
    std::string name;
    std::filesystem::file_time_type written;
  };
  std::vector<Run> runs;
  for (std::filesystem::directory_iterator it(logs_root, error), end; !error && it != end;
       it.increment(error)) {
    const auto name = it->path().filename().string();
    std::error_code ignored;
    if (name != current_run && looks_like_run_id(name) && it->is_directory(ignored)) {
      runs.push_back({name, it->last_write_time(ignored)});
    }
  }
  if (error && error != std::errc::no_such_file_or_directory) {
    return fail(ErrorKind::io, "cannot list the run logs in " + logs_root.string() + ": " +
                                   error.message() + " — check the folder's permissions.");
  }
  // The current run counts as one of those kept.
  const std::size_t keep_others = keep - 1;
  if (runs.size() <= keep_others) {
    return 0;
  }
  // Oldest first: by the id's timestamp (whole seconds), then, for runs that started in the
  // same second (the id's random part says nothing of order), by when the folder was last
  // written.
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) {
    const auto a_stamp = std::string_view(a.name).substr(0, 15);
    const auto b_stamp = std::string_view(b.name).substr(0, 15);
    if (a_stamp != b_stamp) {
      return a_stamp < b_stamp;
    }
    return a.written < b.written;
  });
  const auto doomed = runs.size() - keep_others;
  for (std::size_t i = 0; i < doomed; ++i) {
    std::filesystem::remove_all(logs_root / runs[i].name, error);
    if (error) {
      return fail(ErrorKind::io, "cannot remove the old run logs " +
                                     (logs_root / runs[i].name).string() + ": " + error.message() +
                                     " — remove it by hand or pass --keep-logs 0 to keep all.");
    }
  }
  return doomed;
}

}  // namespace wharf::dispatch
