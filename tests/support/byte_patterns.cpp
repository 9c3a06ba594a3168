#include "support/byte_patterns.hpp"

#include <algorithm>
#include <cstdio>

namespace wharf::test {

std::string byte_pattern(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>(i % 256);
  }
  return bytes;
}

std::string byte_pattern_script(std::size_t size, int fd) {
  const auto n = std::to_string(size);
  // printf's octal escapes make every byte value (NUL included); doubling the file reaches
  // megabytes in a few steps.
  return "i=0; while [ $i -lt 256 ]; do printf \"\\\\$(printf %o $i)\"; i=$((i+1)); done "
         ">/tmp/pattern; "
         "while [ $(wc -c </tmp/pattern) -lt " +
         n +
         " ]; do cat /tmp/pattern /tmp/pattern >/tmp/double; cat /tmp/double >/tmp/pattern; "
         "done; head -c " +
         n + " /tmp/pattern >&" + std::to_string(fd);
}

std::string describe_difference(const std::string& expected, const std::string& actual) {
  const auto mismatch =
      std::mismatch(expected.begin(), expected.end(), actual.begin(), actual.end());
  const auto at = static_cast<std::size_t>(mismatch.first - expected.begin());
  std::string text = "expected " + std::to_string(expected.size()) + " bytes, got " +
                     std::to_string(actual.size()) + "; first difference at byte " +
                     std::to_string(at) + ":";
  const auto dump = [&text, at](const char* label, const std::string& bytes) {
    text += std::string("\n  ") + label;
    for (std::size_t i = at; i < std::min(bytes.size(), at + 16); ++i) {
      char hex[4];
      std::snprintf(hex, sizeof hex, " %02x", static_cast<unsigned char>(bytes[i]));
      text += hex;
    }
  };
  dump("expected:", expected);
  dump("actual:  ", actual);
  return text;
}

}  // namespace wharf::test
