#include "wharf/ssh/ssh_config_values.hpp"

#include <charconv>
#include <climits>

namespace wharf::ssh {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// Digits only (after an optional '+'); from_chars alone would also take a '-'.
std::optional<long long> parse_number(std::string_view text, std::size_t& consumed) noexcept {
  std::size_t start = 0;
  if (!text.empty() && text.front() == '+') {
    start = 1;
  }
  if (start >= text.size() || text[start] < '0' || text[start] > '9') {
    return std::nullopt;
  }
  long long value = 0;
  const auto* begin = text.data() + start;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (error != std::errc{}) {
    return std::nullopt;
  }
  consumed = static_cast<std::size_t>(end - text.data());
  return value;
}

}  // namespace

std::optional<std::uint16_t> parse_port_value(std::string_view text) noexcept {
  std::size_t consumed = 0;
  const auto value = parse_number(text, consumed);
  if (!value || consumed != text.size() || *value < 1 || *value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(*value);
}

std::optional<bool> parse_flag_value(std::string_view text) noexcept {
  if (equals_ignoring_case(text, "yes") || equals_ignoring_case(text, "true")) {
    return true;
  }
  if (equals_ignoring_case(text, "no") || equals_ignoring_case(text, "false")) {
    return false;
  }
  return std::nullopt;
}

std::optional<HostKeyPolicy> parse_host_key_policy_value(std::string_view text) noexcept {
  for (const auto* strict : {"yes", "true", "ask"}) {
    if (equals_ignoring_case(text, strict)) {
      return HostKeyPolicy::strict;
    }
  }
  for (const auto* accept : {"accept-new", "no", "false", "off"}) {
    if (equals_ignoring_case(text, accept)) {
      return HostKeyPolicy::accept_new;
    }
  }
  return std::nullopt;
}

std::optional<std::chrono::seconds> parse_time_value(std::string_view text) noexcept {
  if (text.empty()) {
    return std::nullopt;
  }
  long long total = 0;
  while (!text.empty()) {
    std::size_t consumed = 0;
    const auto value = parse_number(text, consumed);
    if (!value) {
      return std::nullopt;
    }
    text.remove_prefix(consumed);
    long long unit = 1;
    if (!text.empty()) {
      switch (text.front()) {
        case 's':
        case 'S':
          unit = 1;
          break;
        case 'm':
        case 'M':
          unit = 60;
          break;
        case 'h':
        case 'H':
          unit = 60 * 60;
          break;
        case 'd':
        case 'D':
          unit = 24 * 60 * 60;
          break;
        case 'w':
        case 'W':
          unit = 7 * 24 * 60 * 60;
          break;
        default:
          return std::nullopt;
      }
      text.remove_prefix(1);
    }
    if (*value > (INT_MAX - total) / unit) {
      return std::nullopt;
    }
    total += *value * unit;
  }
  return std::chrono::seconds(total);
}

}  // namespace wharf::ssh
