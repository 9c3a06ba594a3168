#pragma once

#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::dispatch {

/// When to pull the worker image, with docker's meanings.
enum class PullPolicy {
  missing,  ///< Pull only when the engine does not have it (no registry contact otherwise).
  always,   ///< Pull every time (the registry decides whether anything changed).
  never,    ///< Never pull; fail when the engine does not have it.
};

/// "missing", "always", "never".
[[nodiscard]] std::string_view to_string(PullPolicy policy) noexcept;

/// Parses "missing", "always" or "never"; anything else is invalid_input naming the value and
/// the accepted ones.
[[nodiscard]] Result<PullPolicy> parse_pull_policy(std::string_view text);

}  // namespace wharf::dispatch
