#include "wharf/ssh/host_pattern.hpp"

#include <algorithm>

namespace wharf::ssh {

bool wildcard_match(std::string_view pattern, std::string_view text) noexcept {
  // Iterative matching with one backtrack point: on a mismatch after a '*', let that '*'
  // swallow one more character. Linear in practice and never recursive, so a hostile
  // pattern such as "*a*a*a*a*b" cannot blow the stack.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

bool host_patterns_match(std::span<const HostPattern> patterns, std::string_view host) noexcept {
  bool positive = false;
  for (const auto& pattern : patterns) {
    if (!wildcard_match(pattern.pattern, host)) {
      continue;
    }
    if (pattern.negated) {
      return false;
    }
    positive = true;
  }
  return positive;
}

}  // namespace wharf::ssh
