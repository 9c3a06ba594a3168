#pragma once

// The compose strategy's one action: `<compose> up -d` for some services of the project, with
// the pin in docker/.env winning over the environment as it does everywhere in wharf.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/pin/project_layout.hpp"
#include "wharf/update/update_options.hpp"
#include "wharf/util/process.hpp"

namespace wharf::update {

/// One `up -d`.
struct ComposeUp {
  std::filesystem::path compose_file{};
  std::string project{};
  std::vector<std::string> services{};
  /// docker/.env's values, evaluated as wharf reads them (stack::evaluated_env): given to
  /// compose's environment so that a variable exported in the operator's shell (an old
  /// IMAGE_TAG) cannot make compose start another release than the pin.
  std::map<std::string, std::string> pinned{};
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
};

/// `<cli> -p PROJECT -f FILE --project-directory DIR up -d --no-build --no-color SERVICE…`
/// with the pinned values and compose.environment on top of wharf's environment. No shell sees
/// it. Pure.
[[nodiscard]] ProcessSpec compose_up_spec(const ComposeRestart& compose, const ComposeUp& up);

/// Runs compose_up_spec() for the project at `layout` (reading docker/.env for the pinned
/// values), its output going to docker/.wharf/compose.log (a file, so that compose survives
/// wharf being killed). The compose process inherits a lock on docker/.wharf/compose.lock: when
/// wharf is killed while compose works, the lock stays held until compose exits, and the next
/// compose_up() waits for it (up to `up.timeout`) instead of running a second compose on the
/// same containers. Errors: timeout (compose did not finish, or the lock was not released,
/// in time), remote when compose exits non-zero (with the last lines it printed), not_found
/// when the compose CLI cannot be started.
[[nodiscard]] Result<void> compose_up(const ComposeRestart& compose,
                                      const pin::ProjectLayout& layout, ComposeUp up);

}  // namespace wharf::update
