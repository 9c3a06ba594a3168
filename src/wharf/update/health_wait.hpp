#pragma once

// Waiting until freshly started containers are fit to serve, the gate between "the new
// containers run" and "the update is done" (or rolled back).

#include <chrono>
#include <cstddef>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"

namespace wharf::update {

/// How often the containers are inspected while waiting.
inline constexpr std::chrono::milliseconds kHealthPollInterval{250};
/// How many of a failed container's last log lines its verdict carries.
inline constexpr std::size_t kFailureLogLines = 20;

enum class HealthOutcome {
  healthy,      ///< Its healthcheck reported "healthy".
  settled,      ///< It has no healthcheck and kept running for the settle period.
  unhealthy,    ///< Its healthcheck reported "unhealthy".
  exited,       ///< It stopped, was removed, or restarted (a crash loop under a restart policy).
  timed_out,    ///< Still "starting" (or not yet settled) when the timeout ran out.
  cancelled,    ///< The caller cancelled the wait first.
  unavailable,  ///< The engine could not be asked about it; `detail` says why.
};

[[nodiscard]] std::string_view to_string(HealthOutcome outcome) noexcept;

/// What happened to one container.
struct ContainerHealth {
  std::string container;  ///< As the caller named it (ID or name).
  std::string name;       ///< Its name from inspect; empty if it could not be inspected.
  HealthOutcome outcome = HealthOutcome::unavailable;
  bool has_healthcheck = false;
  /// One or more sentences saying what happened: the exit code, the healthcheck's last
  /// output, how long it ran. Empty for healthy and settled.
  std::string detail;
  /// The container's last kFailureLogLines lines of output (stdout and stderr in the order
  /// written), for every outcome but healthy, settled and cancelled.
  std::vector<std::string> last_log_lines;
  std::chrono::milliseconds elapsed{0};  ///< From the start of the wait to the verdict.

  [[nodiscard]] bool ok() const noexcept {
    return outcome == HealthOutcome::healthy || outcome == HealthOutcome::settled;
  }
};

/// The verdicts, in the order the containers were given.
struct HealthReport {
  std::vector<ContainerHealth> containers;

  [[nodiscard]] bool all_ok() const noexcept;
  /// Success when every container is ok(); otherwise an Error whose message names each
  /// failed container, what happened to it and its last log lines. Its kind is cancelled
  /// when the wait was cancelled, timeout when every failure is a timeout, unavailable when
  /// the engine could not be asked, else remote (a container reported itself unfit).
  [[nodiscard]] Result<void> as_result() const;
};

/// One look at a container: `inspect` is its GET /containers/{id}/json now, `first` the one
/// taken when the wait began (to notice a restart), `elapsed` the time since then. Decided
/// when it is healthy, settled (no healthcheck and elapsed >= settle), unhealthy or exited;
/// undecided while its healthcheck is "starting" or it has not run for `settle` yet. Pure,
/// so that the rules are unit-tested; wait_until_healthy() applies it on every poll.
struct HealthLook {
  bool decided = false;
  HealthOutcome outcome = HealthOutcome::timed_out;  ///< What it is if the wait ends now.
  bool has_healthcheck = false;
  std::string detail;  ///< As ContainerHealth::detail.
};
[[nodiscard]] HealthLook look_at(const nlohmann::json& inspect, const nlohmann::json& first,
                                 std::chrono::milliseconds elapsed,
                                 std::chrono::milliseconds settle);

/// Waits, all containers at once, until each one with a healthcheck reports "healthy" and
/// each one without has kept running for `settle` (counted from the start of the wait, with
/// no restart in between). A container fails as soon as its healthcheck reports "unhealthy"
/// or it stops, restarts or disappears; the others are still waited for, so the report is
/// complete. After `timeout` the undecided ones are timed_out, and on `cancel` cancelled.
/// Failures carry the container's last log lines. Never throws; engine errors become the
/// affected container's `unavailable` verdict.
[[nodiscard]] HealthReport wait_until_healthy(engine::EngineClient& engine,
                                              const std::vector<std::string>& containers,
                                              std::chrono::milliseconds timeout,
                                              std::chrono::milliseconds settle,
                                              std::stop_token cancel = {});

}  // namespace wharf::update
