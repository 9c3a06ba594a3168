#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::engine {

/// A Docker Engine API version such as 1.41. Versions compare numerically (1.9 < 1.41).
struct ApiVersion {
  int major = 1;
  int minor = 0;

  /// Parses "1.41" (also tolerates a leading "v"). Returns nullopt for anything else.
  [[nodiscard]] static std::optional<ApiVersion> parse(std::string_view text);
  /// "1.41".
  [[nodiscard]] std::string to_string() const;
  /// "/v1.41": the prefix of every versioned Engine API path.
  [[nodiscard]] std::string path_prefix() const;

  friend auto operator<=>(const ApiVersion&, const ApiVersion&) = default;
};

/// The oldest API wharf can speak: Docker Engine 20.10.
inline constexpr ApiVersion kMinimumApiVersion{1, 41};
/// The newest API whose behaviour wharf knows; newer engines are spoken to in this version.
inline constexpr ApiVersion kMaximumApiVersion{1, 47};

/// Chooses the API version to use with an engine that reports `server_max` (the API-Version
/// header of /_ping) and optionally `server_min` (MinAPIVersion from /version): the lower of
/// `server_max` and kMaximumApiVersion, raised to `server_min` when the engine no longer
/// accepts that. Fails with ErrorKind::unavailable, naming `engine` (an address for the
/// message), when the engine's newest API is older than kMinimumApiVersion, or when it
/// reported no version at all.
[[nodiscard]] Result<ApiVersion> negotiate_api_version(std::optional<ApiVersion> server_max,
                                                       std::optional<ApiVersion> server_min,
                                                       std::string_view engine);

}  // namespace wharf::engine
