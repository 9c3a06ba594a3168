#pragma once

#include <chrono>
#include <string>

namespace wharf::util {

// The time limits every transport shares (the engine's HTTP layer, SSH sessions), named so
// that callers and messages agree on them. A timeout of kNoTimeout means "wait as long as it
// takes" and is meant for calls that are bounded by something else (a task's own timeout, a
// cancel flag).

/// Opening one connection to the engine (socket connect, not TLS).
inline constexpr std::chrono::milliseconds kDefaultConnectTimeout = std::chrono::seconds(10);
/// No limit at all (wait, follow logs, exec): pass a cancel flag instead.
inline constexpr std::chrono::milliseconds kNoTimeout{0};

/// "30 s", "1.5 s" or "250 ms", for messages about timeouts.
[[nodiscard]] inline std::string describe_duration(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms < 1000) {
    return std::to_string(ms) + " ms";
  }
  if (ms % 1000 == 0) {
    return std::to_string(ms / 1000) + " s";
  }
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

}  // namespace wharf::util
