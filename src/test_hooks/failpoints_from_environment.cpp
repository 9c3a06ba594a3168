// The failpoints of a build with tests: they read the environment (see wharf/util/failpoint.hpp).
#include <cstdlib>

#include "wharf/util/failpoint.hpp"

namespace wharf {

std::optional<std::string_view> failpoint(const char* variable) noexcept {
  const char* value = std::getenv(variable);
  if (value == nullptr) {
    return std::nullopt;
  }
  return value;
}

}  // namespace wharf
