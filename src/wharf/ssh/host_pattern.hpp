#pragma once

#include <span>
#include <string>
#include <string_view>

namespace wharf::ssh {

/// One word of an ssh_config `Host` line: a pattern, possibly negated with a leading '!'.
struct HostPattern {
  std::string pattern;  ///< Without the '!'.
  bool negated = false;

  [[nodiscard]] bool operator==(const HostPattern&) const = default;
};

/// OpenSSH's match_pattern(): '*' matches any run of characters (also none), '?' exactly one,
/// everything else itself. Case-sensitive, like ssh, which matches `Host` lines against the
/// name exactly as the user typed it.
[[nodiscard]] bool wildcard_match(std::string_view pattern, std::string_view text) noexcept;

/// Whether a `Host` line applies to `host`: some positive pattern matches and no negated one
/// does. A line of only negated patterns therefore never applies (as in ssh).
[[nodiscard]] bool host_patterns_match(std::span<const HostPattern> patterns,
                                       std::string_view host) noexcept;

}  // namespace wharf::ssh
