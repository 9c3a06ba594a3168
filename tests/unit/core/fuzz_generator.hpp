#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace wharf::fuzz {

/// Random inputs for the parser fuzz tests, from a fixed seed so every failure reproduces.
class Generator {
 public:
  explicit Generator(std::uint32_t seed) : engine_(seed) {}

  std::size_t below(std::size_t bound) {
    return std::uniform_int_distribution<std::size_t>(0, bound - 1)(engine_);
  }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }

  template <typename Range>
  const auto& pick(const Range& range) {
    return range[below(std::size(range))];
  }

  std::string chars(std::string_view alphabet, std::size_t max_length) {
    std::string out(below(max_length + 1), ' ');
    for (auto& c : out) {
      c = alphabet[below(alphabet.size())];
    }
    return out;
  }

  // Applies 1-3 random edits, biased towards the characters that matter to the grammar.
  std::string mutate(std::string text, std::string_view alphabet) {
    const auto edits = 1 + below(3);
    for (std::size_t i = 0; i < edits; ++i) {
      const auto at = below(text.size() + 1);
      const char c = alphabet[below(alphabet.size())];
      switch (below(6)) {
        case 0:
          text.insert(at, 1, c);
          break;
        case 1:
          if (at < text.size()) {
            text.erase(at, 1);
          }
          break;
        case 2:
          if (at < text.size()) {
            text[at] = c;
          }
          break;
        case 3:  // Duplicate a slice, which makes repeated separators and long inputs.
          if (at < text.size()) {
            text.insert(at, text.substr(at, 1 + below(8)));
          }
          break;
        case 4:
          text = text.substr(0, at);
          break;
        default:
          if (at + 1 < text.size()) {
            std::swap(text[at], text[at + 1]);
          }
          break;
      }
    }
    return text;
  }

 private:
  std::mt19937 engine_;
};

}  // namespace wharf::fuzz
