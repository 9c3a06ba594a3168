#include "wharf/core/suggestion.hpp"

#include <algorithm>
#include <cctype>

namespace wharf {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// How many edits a word of `length` characters may be away from what was meant: enough for a
// typo, not so many that any short word matches any other.
std::size_t tolerance(std::size_t length) {
  if (length <= 4) {
    return 1;
  }
  return length <= 8 ? 2 : 3;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: the transposition looks two rows back.
  std::vector<std::size_t> before(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> nearest_word(std::string_view typed,
                                        const std::vector<std::string>& candidates) {
  if (typed.empty()) {
    return std::nullopt;
  }
  const std::string* best = nullptr;
  std::size_t best_distance = tolerance(typed.size()) + 1;
  for (const auto& candidate : candidates) {
    const auto distance = edit_distance(typed, candidate);
    if (distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best != nullptr) {
    return *best;
  }
  if (typed.size() >= 2) {
    for (const auto& candidate : candidates) {
      if (starts_with_ignoring_case(candidate, typed)) {
        return candidate;
      }
    }
  }
  return std::nullopt;
}

}  // namespace wharf
