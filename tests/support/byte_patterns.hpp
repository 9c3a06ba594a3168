#pragma once

// Output that is not friendly text, for tests of byte-exact task output: every byte value,
// no final newline, sizes that span many stream frames. The shell snippets run in the
// busybox worker image (sh, printf, cat, head, wc) and write exactly the bytes the C++ side
// computes, so a test compares what arrived with what was written, byte for byte.

#include <cstddef>
#include <string>

namespace wharf::test {

/// The bytes 0, 1, …, 255, 0, 1, … — `size` of them.
[[nodiscard]] std::string byte_pattern(std::size_t size);

/// A `sh -c` script that writes byte_pattern(size) to file descriptor `fd` (1 or 2) and
/// nothing else; it builds the pattern in /tmp first, so the writing itself is one `head`.
[[nodiscard]] std::string byte_pattern_script(std::size_t size, int fd);

/// A short hex dump around the first difference of two byte strings, for failure messages
/// (printing megabytes of binary into a test log helps nobody).
[[nodiscard]] std::string describe_difference(const std::string& expected,
                                              const std::string& actual);

}  // namespace wharf::test
