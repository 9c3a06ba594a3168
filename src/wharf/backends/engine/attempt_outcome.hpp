#pragma once

// Small pieces both local backends (fresh containers and the warm pool) use to turn engine
// answers into attempt outcomes, so the two classify failures the same way.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/dispatch/worker.hpp"
#include "wharf/engine/timeouts.hpp"

namespace wharf::backends {

/// Whether `error` came from the connection itself (no HTTP status: the engine never
/// answered) rather than from the engine refusing something. Such errors cost the worker.
[[nodiscard]] inline bool is_connection_error(const Error& error) {
  return !error.http_status.has_value();
}

/// The exit status `docker run` gives a container whose command the runtime could not
/// execute, judged from the engine's start error as the docker CLI judges it: 127 when the
/// command is not found, 126 when it cannot be executed (permission denied, a directory);
/// nullopt for every other start failure (docker's 125).
[[nodiscard]] inline std::optional<int> command_exit_code(std::string_view start_error) {
  if (start_error.find("executable file not found") != std::string_view::npos ||
      start_error.find("no such file or directory") != std::string_view::npos) {
    return 127;
  }
  if (start_error.find("permission denied") != std::string_view::npos ||
      start_error.find("is a directory") != std::string_view::npos) {
    return 126;
  }
  return std::nullopt;
}

/// An attempt that ended with `status` and the sentence `error`.
[[nodiscard]] inline dispatch::Attempt ended(dispatch::AttemptStatus status, std::string error) {
  dispatch::Attempt attempt;
  attempt.status = status;
  attempt.error = std::move(error);
  return attempt;
}

/// An attempt killed after the task's `timeout` ran out.
[[nodiscard]] inline dispatch::Attempt timed_out(const std::string& task_id,
                                                 std::chrono::milliseconds timeout) {
  return ended(dispatch::AttemptStatus::timed_out, "task " + task_id +
                                                       " was killed after its timeout of " +
                                                       engine::describe_duration(timeout) + ".");
}

/// An attempt stopped because the run was cancelled while it ran.
[[nodiscard]] inline dispatch::Attempt cancelled_while_running(const std::string& task_id) {
  return ended(dispatch::AttemptStatus::cancelled,
               "task " + task_id + " was stopped because the run was cancelled.");
}

/// Stamps an attempt with the worker that made it and the image it ran, as every local
/// backend reports them.
inline dispatch::Attempt attributed(dispatch::Attempt attempt, const std::string& worker,
                                    const std::string& image, const std::string& image_digest) {
  attempt.worker = worker;
  attempt.image = image;
  attempt.image_digest = image_digest;
  return attempt;
}

}  // namespace wharf::backends
