#include "wharf/core/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <utility>

namespace wharf {
namespace {

// The length in nanoseconds of a duration unit at the start of `text`, and the unit's length.
std::optional<std::pair<double, std::size_t>> duration_unit(std::string_view text) {
  struct Unit {
    std::string_view name;
    double nanos;
  };
  // Longer names first, so "ms" is not read as "m" followed by "s".
  static constexpr std::array<Unit, 8> units{{{"ns", 1.0},
                                              {"us", 1e3},
                                              {"\xC2\xB5s", 1e3},
                                              {"ms", 1e6},
                                              {"s", 1e9},
                                              {"m", 60e9},
                                              {"h", 3600e9},
                                              {"d", 86400e9}}};
  for (const auto& unit : units) {
    if (text.starts_with(unit.name)) {
      return std::pair{unit.nanos, unit.name.size()};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  double total = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t start = position;
    while (position < text.size() &&
           ((text[position] >= '0' && text[position] <= '9') || text[position] == '.')) {
      ++position;
    }
    const auto number_text = text.substr(start, position - start);
    double number = 0;
    const auto [last, error] =
        std::from_chars(number_text.data(), number_text.data() + number_text.size(), number);
    if (number_text.empty() || error != std::errc() ||
        last != number_text.data() + number_text.size()) {
      return std::nullopt;
    }
    const auto unit = duration_unit(text.substr(position));
    if (!unit) {
      return std::nullopt;
    }
    position += unit->second;
    total += number * unit->first;
  }
  if (total > static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2)) {
    return std::nullopt;
  }
  return std::chrono::nanoseconds(static_cast<std::int64_t>(total));
}

}  // namespace wharf
