#include "wharf/update/health_wait.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "wharf/core/strings.hpp"
#include "wharf/core/utf8.hpp"
#include "wharf/core/wording.hpp"
#include "wharf/engine/json_fields.hpp"

namespace wharf::update {
namespace {

using namespace engine::json_fields;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kHealthOutputLimit = 300;

std::string seconds_text(std::chrono::milliseconds duration) {
  return engine::describe_duration(duration);
}

std::string exit_detail(const nlohmann::json& state) {
  std::string detail;
  if (bool_at(state, "Restarting")) {
    detail = "it exited with code " + std::to_string(int_at(state, "ExitCode")) +
             " and its restart policy is restarting it";
  } else if (string_at(state, "Status") == "created") {
    detail = "it was never started";
  } else {
    detail = "it stopped (" + string_at(state, "Status") + ") with exit code " +
             std::to_string(int_at(state, "ExitCode"));
  }
  if (bool_at(state, "OOMKilled")) {
    detail += "; the kernel killed it for running out of memory";
  }
  if (const auto error = string_at(state, "Error"); !error.empty()) {
    detail += "; the engine said: " + error;
  }
  return detail + ".";
}

// "the last check exited with code 1 and printed: …", from State.Health.Log.
std::string last_check(const nlohmann::json& health) {
  const auto* log = find(health, "Log");
  if (log == nullptr || !log->is_array() || log->empty()) {
    return {};
  }
  const auto& entry = log->back();
  std::string output{trim(string_at(entry, "Output"))};
  if (output.size() > kHealthOutputLimit) {
    output = std::string(utf8_prefix(output, kHealthOutputLimit)) + "…";
  }
  return " The last check exited with code " + std::to_string(int_at(entry, "ExitCode")) +
         (output.empty() ? std::string(" and printed nothing.") : " and printed: " + output);
}

void sleep_for(std::chrono::milliseconds duration, const std::stop_token& cancel) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  (void)wake.wait_for(lock, cancel, duration, [] { return false; });
}

std::vector<std::string> last_lines(engine::EngineClient& engine, const std::string& container,
                                    std::string& detail) {
  engine::LogsOptions options;
  options.tail = std::to_string(kFailureLogLines);
  std::string text;
  auto read = engine.container_logs(
      container, options, [&text](engine::LogStream, std::string_view bytes) { text += bytes; });
  if (!read) {
    detail += " Its logs could not be read: " + read.error().message;
    return {};
  }
  std::vector<std::string> lines;
  for (auto line : split(text, '\n')) {
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    lines.emplace_back(line);
  }
  if (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  if (lines.size() > kFailureLogLines) {
    lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(kFailureLogLines));
  }
  return lines;
}

}  // namespace

std::string_view to_string(HealthOutcome outcome) noexcept {
  switch (outcome) {
    case HealthOutcome::healthy:
      return "healthy";
    case HealthOutcome::settled:
      return "running";
    case HealthOutcome::unhealthy:
      return "unhealthy";
    case HealthOutcome::exited:
      return "exited";
    case HealthOutcome::timed_out:
      return "timed out";
    case HealthOutcome::cancelled:
      return "cancelled";
    case HealthOutcome::unavailable:
      break;
  }
  return "unavailable";
}

HealthLook look_at(const nlohmann::json& inspect, const nlohmann::json& first,
                   std::chrono::milliseconds elapsed, std::chrono::milliseconds settle) {
  HealthLook look;
  const auto& state = object_at(inspect, "State");
  const auto& health = object_at(state, "Health");
  const auto health_status = string_at(health, "Status");
  look.has_healthcheck = !health_status.empty();
  const auto decide = [&look](HealthOutcome outcome, std::string detail) {
    look.decided = true;
    look.outcome = outcome;
    look.detail = std::move(detail);
    return look;
  };

  if (!bool_at(state, "Running") || bool_at(state, "Restarting")) {
    return decide(HealthOutcome::exited, exit_detail(state));
  }
  const auto restarts = int_at(inspect, "RestartCount") - int_at(first, "RestartCount");
  const auto first_start = string_at(object_at(first, "State"), "StartedAt");
  if (restarts > 0 || string_at(state, "StartedAt") != first_start) {
    return decide(HealthOutcome::exited, "it exited and was restarted (" +
                                             std::to_string(std::max<std::int64_t>(restarts, 1)) +
                                             " time(s)) while wharf waited for it.");
  }
  if (look.has_healthcheck) {
    if (health_status == "healthy") {
      return decide(HealthOutcome::healthy, {});
    }
    if (health_status == "unhealthy") {
      return decide(HealthOutcome::unhealthy, "its healthcheck reported unhealthy after " +
                                                  std::to_string(int_at(health, "FailingStreak")) +
                                                  " failed checks in a row." + last_check(health));
    }
    look.detail = "its healthcheck still said \"" + health_status + "\"." + last_check(health);
    return look;
  }
  if (elapsed >= settle) {
    return decide(HealthOutcome::settled, {});
  }
  look.detail = "it has no healthcheck and had run " + seconds_text(elapsed) + " of the " +
                seconds_text(settle) + " it must stay up.";
  return look;
}

HealthReport wait_until_healthy(engine::EngineClient& engine,
                                const std::vector<std::string>& containers,
                                std::chrono::milliseconds timeout, std::chrono::milliseconds settle,
                                std::stop_token cancel) {
  HealthReport report;
  std::vector<nlohmann::json> first(containers.size());
  std::vector<bool> done(containers.size(), false);
  for (const auto& container : containers) {
    report.containers.push_back(ContainerHealth{
        container, {}, HealthOutcome::timed_out, false, "it was never inspected.", {}, {}});
  }
  const auto start = Clock::now();
  const auto since_start = [start] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  };
  for (;;) {
    bool pending = false;
    for (std::size_t i = 0; i < containers.size(); ++i) {
      if (done[i]) {
        continue;
      }
      auto& verdict = report.containers[i];
      const auto call_timeout = std::clamp(timeout - since_start(), std::chrono::milliseconds(1000),
                                           engine::kDefaultCallTimeout);
      auto info = engine.container_inspect(containers[i], call_timeout);
      const auto elapsed = since_start();
      if (!info) {
        const bool gone = info.error().kind == ErrorKind::not_found;
        verdict.outcome = gone ? HealthOutcome::exited : HealthOutcome::unavailable;
        verdict.detail = !gone                ? info.error().message
                         : first[i].is_null() ? "there is no such container."
                                              : "it was removed while wharf waited for it.";
        verdict.elapsed = elapsed;
        done[i] = true;
        continue;
      }
      if (first[i].is_null()) {
        first[i] = info->raw;
        verdict.name = info->name;
      }
      auto look = look_at(info->raw, first[i], elapsed, settle);
      verdict.has_healthcheck = look.has_healthcheck;
      verdict.outcome = look.outcome;
      verdict.detail = std::move(look.detail);
      verdict.elapsed = elapsed;
      done[i] = look.decided;
      pending = pending || !look.decided;
    }
    if (!pending) {
      break;
    }
    const auto elapsed = since_start();
    if (cancel.stop_requested() || elapsed >= timeout) {
      for (std::size_t i = 0; i < containers.size(); ++i) {
        if (!done[i]) {
          auto& verdict = report.containers[i];
          if (cancel.stop_requested()) {
            verdict.outcome = HealthOutcome::cancelled;
            verdict.detail = "the wait was cancelled; " + verdict.detail;
          } else {
            verdict.detail =
                "it was not healthy within " + seconds_text(timeout) + ": " + verdict.detail;
          }
        }
      }
      break;
    }
    sleep_for(std::min(kHealthPollInterval, timeout - elapsed), cancel);
  }

  for (std::size_t i = 0; i < containers.size(); ++i) {
    auto& verdict = report.containers[i];
    if (!verdict.ok() && verdict.outcome != HealthOutcome::cancelled &&
        verdict.outcome != HealthOutcome::unavailable) {
      verdict.last_log_lines = last_lines(engine, containers[i], verdict.detail);
    }
  }
  return report;
}

bool HealthReport::all_ok() const noexcept {
  return std::ranges::all_of(containers, &ContainerHealth::ok);
}

Result<void> HealthReport::as_result() const {
  std::size_t failed = 0;
  bool any_cancelled = false;
  bool any_unavailable = false;
  bool only_timeouts = true;
  std::string text;
  for (const auto& verdict : containers) {
    if (verdict.ok()) {
      continue;
    }
    ++failed;
    any_cancelled = any_cancelled || verdict.outcome == HealthOutcome::cancelled;
    any_unavailable = any_unavailable || verdict.outcome == HealthOutcome::unavailable;
    only_timeouts = only_timeouts && verdict.outcome == HealthOutcome::timed_out;
    const auto& name = verdict.name.empty() ? verdict.container : verdict.name;
    text += "\n" + name + " (" + std::string(to_string(verdict.outcome)) + " after " +
            seconds_text(verdict.elapsed) + "): " + verdict.detail;
    if (!verdict.last_log_lines.empty()) {
      text += verdict.last_log_lines.size() == 1
                  ? std::string(" Its last log line:")
                  : " Its last " + counted(verdict.last_log_lines.size(), "log line") + ":";
      for (const auto& line : verdict.last_log_lines) {
        text += "\n    | " + line;
      }
    }
  }
  if (failed == 0) {
    return {};
  }
  const auto kind = any_cancelled     ? ErrorKind::cancelled
                    : only_timeouts   ? ErrorKind::timeout
                    : any_unavailable ? ErrorKind::unavailable
                                      : ErrorKind::remote;
  return fail(kind, std::to_string(failed) + " of " + counted(containers.size(), "container") +
                        " did not become healthy:" + text);
}

}  // namespace wharf::update
