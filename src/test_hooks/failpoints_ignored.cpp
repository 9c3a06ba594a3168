// The failpoints of a build without tests, and of wharf_without_test_hooks: there are none
// (see wharf/util/failpoint.hpp). The environment is never read.
#include "wharf/util/failpoint.hpp"

namespace wharf {

std::optional<std::string_view> failpoint(const char* /*variable*/) noexcept {
  return std::nullopt;
}

}  // namespace wharf
