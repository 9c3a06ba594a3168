#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace wharf::registry {

/// When a registry answer is worth asking again, and how long to wait first: 429 (rate
/// limited) and 5xx (the registry or a proxy in front of it is unwell) are retried with
/// exponential backoff, or after the Retry-After the registry asked for — unless that is
/// longer than `max_retry_after`, in which case waiting would look like a hang and the
/// caller gets the error (with Error::retry_after) at once.
struct RetryPolicy {
  int max_attempts = 4;  ///< Requests in total, the first included.
  std::chrono::milliseconds first_backoff{250};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(8)};
  std::chrono::seconds max_retry_after{30};
};

/// True for the statuses RetryPolicy covers: 429 and 500–599.
[[nodiscard]] bool is_retryable_status(long status) noexcept;

/// The Retry-After value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date turned into the
/// seconds from `now` (0 when already past). nullopt when it is neither.
[[nodiscard]] std::optional<std::chrono::seconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

/// How long to wait before retry number `retry` (1 for the second request): `retry_after`
/// (at most max_retry_after) when the registry sent one, else first_backoff doubled per retry, at
/// most max_backoff.
[[nodiscard]] std::chrono::milliseconds retry_delay(
    const RetryPolicy& policy, int retry, std::optional<std::chrono::seconds> retry_after);

}  // namespace wharf::registry
