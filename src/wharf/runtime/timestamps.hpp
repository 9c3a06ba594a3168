#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/duration.hpp"
#include "wharf/core/error.hpp"

namespace wharf::runtime {

/// A point in time as nanoseconds since the Unix epoch (UTC), the resolution the engine gives
/// log lines and container states. Plain integers compare and sort exactly, which the log merge
/// relies on; an int64 covers the years 1678–2262.
using UnixNanos = std::int64_t;

/// Parses an RFC 3339 time as the engine writes it ("2024-05-01T12:00:00.123456789Z", also
/// with fewer fraction digits or none, with a ±hh:mm offset instead of Z, with 't' or a space
/// instead of 'T'). More than nine fraction digits are truncated. nullopt for anything else,
/// including out-of-range fields (month 13, 30 February, hour 24) and years outside what
/// UnixNanos holds — the engine's "0001-01-01T00:00:00Z" (never started) gives nullopt too.
[[nodiscard]] std::optional<UnixNanos> parse_rfc3339(std::string_view text);

/// The time `wharf logs --since` means: an RFC 3339 time (see parse_rfc3339), a date alone
/// ("2024-05-01", midnight UTC), Unix seconds ("1714564800", as docker accepts them), or a
/// duration before `now` ("10m" is ten minutes ago). Fails with invalid_input naming the text
/// and the accepted forms.
[[nodiscard]] Result<UnixNanos> parse_since(std::string_view text,
                                            std::chrono::system_clock::time_point now);

/// `now` as UnixNanos.
[[nodiscard]] UnixNanos to_unix_nanos(std::chrono::system_clock::time_point now);

/// A short human age, two units at most: "42s", "5m 3s", "2h 5m", "3d 4h".
[[nodiscard]] std::string describe_age(std::chrono::seconds age);

}  // namespace wharf::runtime
