#pragma once

// The value grammars of the ssh_config keywords wharf reads, as OpenSSH 9 accepts them.
// Each returns nullopt for a malformed value; the caller words the message, since only it
// knows the file and line.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "wharf/ssh/ssh_target.hpp"

namespace wharf::ssh {

/// A decimal port from 1 to 65535 (an optional leading '+', as strtonum allows). Service
/// names (`Port ssh`), which ssh also looks up in /etc/services, are not accepted.
[[nodiscard]] std::optional<std::uint16_t> parse_port_value(std::string_view text) noexcept;

/// yes/true or no/false, case-insensitive.
[[nodiscard]] std::optional<bool> parse_flag_value(std::string_view text) noexcept;

/// StrictHostKeyChecking: yes/true/ask are strict (wharf never asks), accept-new/no/false/off
/// accept an unknown host key. Case-insensitive.
[[nodiscard]] std::optional<HostKeyPolicy> parse_host_key_policy_value(
    std::string_view text) noexcept;

/// ssh's time format (convtime): one or more groups of digits, each optionally followed by
/// s, m, h, d or w (either case) — only the last group may lack a unit — adding up to at most
/// INT_MAX seconds: "30", "1m30s", "1h30" (= 3630 s).
[[nodiscard]] std::optional<std::chrono::seconds> parse_time_value(std::string_view text) noexcept;

}  // namespace wharf::ssh
