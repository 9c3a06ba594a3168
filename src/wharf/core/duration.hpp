#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace wharf {

/// Parses a duration in Go's notation, as docker and compose take it (`--since 10m`, a
/// healthcheck's interval, stop_grace_period): one or more decimal numbers, each with an
/// optional fraction and a unit of ns, us (or µs), ms, s, m or h — plus d for days ("10m",
/// "1h30m", "1.5h", "200ms", "2d"). nullopt when malformed, negative or too long to hold.
[[nodiscard]] std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);

}  // namespace wharf
