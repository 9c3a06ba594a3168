#include "wharf/runtime/timestamps.hpp"

#include <array>
#include <charconv>
#include <limits>

namespace wharf::runtime {
namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// Reads exactly `count` decimal digits at `position`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& position, std::size_t count) {
  if (position + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[position + i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  position += count;
  return value;
}

bool expect(std::string_view text, std::size_t& position, char wanted) {
  if (position < text.size() && text[position] == wanted) {
    ++position;
    return true;
  }
  return false;
}

// Seconds since the epoch of a UTC civil date, or nullopt for an invalid date.
std::optional<std::int64_t> epoch_seconds(int year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days{date}.time_since_epoch() / std::chrono::seconds(1);
}

// Reads YYYY-MM-DD at `position`, advancing it: the date's epoch seconds, nullopt when the
// text is not a valid date there.
std::optional<std::int64_t> read_date(std::string_view text, std::size_t& position) {
  const auto year = digits(text, position, 4);
  if (!year || !expect(text, position, '-')) {
    return std::nullopt;
  }
  const auto month = digits(text, position, 2);
  if (!month || !expect(text, position, '-')) {
    return std::nullopt;
  }
  const auto day = digits(text, position, 2);
  return day ? epoch_seconds(*year, *month, *day) : std::nullopt;
}

// seconds * 1e9 + nanos, unless that leaves UnixNanos's range.
std::optional<UnixNanos> combine(std::int64_t seconds, std::int64_t nanos) {
  constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / kNanosPerSecond - 1;
  if (seconds > limit || seconds < -limit) {
    return std::nullopt;
  }
  return seconds * kNanosPerSecond + nanos;
}

std::optional<UnixNanos> parse_date_only(std::string_view text) {
  std::size_t position = 0;
  const auto seconds = read_date(text, position);
  if (!seconds || position != text.size()) {
    return std::nullopt;
  }
  return combine(*seconds, 0);
}

std::optional<UnixNanos> parse_unix_seconds(std::string_view text) {
  std::int64_t seconds = 0;
  const auto* end = text.data() + text.size();
  const auto [last, error] = std::from_chars(text.data(), end, seconds);
  if (text.empty() || error != std::errc() || last != end || seconds < 0) {
    return std::nullopt;
  }
  return combine(seconds, 0);
}

}  // namespace

std::optional<UnixNanos> parse_rfc3339(std::string_view text) {
  std::size_t position = 0;
  const auto date_seconds = read_date(text, position);
  if (!date_seconds || position >= text.size()) {
    return std::nullopt;
  }
  const char separator = text[position++];
  if (separator != 'T' && separator != 't' && separator != ' ') {
    return std::nullopt;
  }
  const auto hour = digits(text, position, 2);
  if (!hour || !expect(text, position, ':')) {
    return std::nullopt;
  }
  const auto minute = digits(text, position, 2);
  if (!minute || !expect(text, position, ':')) {
    return std::nullopt;
  }
  const auto second = digits(text, position, 2);
  // 60 is a leap second, which RFC 3339 allows; it reads as the next second's start.
  if (!second || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::int64_t nanos = 0;
  if (expect(text, position, '.')) {
    std::size_t count = 0;
    for (; position < text.size() && text[position] >= '0' && text[position] <= '9'; ++position) {
      if (count++ < 9) {
        nanos = nanos * 10 + (text[position] - '0');
      }
    }
    if (count == 0) {
      return std::nullopt;
    }
    for (; count < 9; ++count) {
      nanos *= 10;
    }
  }
  std::int64_t offset_seconds = 0;
  if (position < text.size() && (text[position] == 'Z' || text[position] == 'z')) {
    ++position;
  } else if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    const int sign = text[position++] == '-' ? -1 : 1;
    const auto offset_hour = digits(text, position, 2);
    if (!offset_hour || !expect(text, position, ':')) {
      return std::nullopt;
    }
    const auto offset_minute = digits(text, position, 2);
    if (!offset_minute || *offset_hour > 23 || *offset_minute > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * (*offset_hour * 3600 + *offset_minute * 60);
  } else {
    return std::nullopt;
  }
  if (position != text.size()) {
    return std::nullopt;
  }
  const std::int64_t seconds =
      *date_seconds + *hour * 3600 + *minute * 60 + *second - offset_seconds;
  return combine(seconds, nanos);
}

UnixNanos to_unix_nanos(std::chrono::system_clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
}

Result<UnixNanos> parse_since(std::string_view text, std::chrono::system_clock::time_point now) {
  if (auto time = parse_rfc3339(text)) {
    return *time;
  }
  if (auto date = parse_date_only(text)) {
    return *date;
  }
  if (auto seconds = parse_unix_seconds(text)) {
    return *seconds;
  }
  if (auto duration = parse_duration(text)) {
    return to_unix_nanos(now) - duration->count();
  }
  return fail(ErrorKind::invalid_input,
              "--since \"" + std::string(text) +
                  "\" is not a time wharf understands — give an RFC 3339 time "
                  "(2024-05-01T12:00:00Z or with an offset, +02:00), a date (2024-05-01), Unix "
                  "seconds, or how long ago as a duration (10m, 1h30m, 2d).");
}

std::string describe_age(std::chrono::seconds age) {
  std::int64_t seconds = std::max<std::int64_t>(age.count(), 0);
  const std::int64_t days = seconds / 86400;
  const std::int64_t hours = seconds % 86400 / 3600;
  const std::int64_t minutes = seconds % 3600 / 60;
  seconds %= 60;
  const auto part = [](std::int64_t value, const char* unit) {
    return std::to_string(value) + unit;
  };
  if (days > 0) {
    return part(days, "d") + " " + part(hours, "h");
  }
  if (hours > 0) {
    return part(hours, "h") + " " + part(minutes, "m");
  }
  if (minutes > 0) {
    return part(minutes, "m") + " " + part(seconds, "s");
  }
  return part(seconds, "s");
}

}  // namespace wharf::runtime
