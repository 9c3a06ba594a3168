#pragma once

#include <chrono>

#include "wharf/util/durations.hpp"

namespace wharf::engine {

// Every Engine API call is bounded; these are the defaults, named so that callers and
// messages agree on them.

/// An ordinary request/response call (inspect, create, start, list, remove…).
inline constexpr std::chrono::milliseconds kDefaultCallTimeout = std::chrono::seconds(30);
/// Pulling an image: layers can be large and registries slow.
inline constexpr std::chrono::milliseconds kDefaultPullTimeout = std::chrono::minutes(30);

// The limits the engine shares with the other transports live in util/durations.hpp; they
// stay reachable as engine:: names because every engine call is spelled with them.
using util::describe_duration;
using util::kDefaultConnectTimeout;
using util::kNoTimeout;

}  // namespace wharf::engine
