#include "wharf/registry/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <curl/curl.h>

namespace wharf::registry {

bool is_retryable_status(long status) noexcept {
  return status == 429 || (status >= 500 && status <= 599);
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  if (value.empty()) {
    return std::nullopt;
  }
  if (std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; })) {
    long long seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc{} || end != value.data() + value.size()) {
      // More digits than fit: a registry asking for forever.
      return std::chrono::seconds::max();
    }
    return std::chrono::seconds(seconds);
  }
  // curl_getdate knows the three HTTP-date formats; it needs a terminated string.
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) {
    return std::nullopt;
  }
  const auto delay = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::from_time_t(when) - now);
  return std::max(delay, std::chrono::seconds(0));
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry,
                                      std::optional<std::chrono::seconds> retry_after) {
  if (retry_after) {
    // Clamped so that a huge value cannot overflow milliseconds; callers give up on values
    // above max_retry_after before asking.
    return std::min(*retry_after, policy.max_retry_after);
  }
  auto delay = policy.first_backoff;
  for (int i = 1; i < retry && delay < policy.max_backoff; ++i) {
    delay *= 2;
  }
  return std::min(delay, policy.max_backoff);
}

}  // namespace wharf::registry
