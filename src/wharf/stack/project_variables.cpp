#include "wharf/stack/project_variables.hpp"

#include <cstdlib>
#include <optional>
#include <string>

namespace wharf::stack {

VariableLookup project_variables(const EnvFile& env) {
  return [env](std::string_view name) -> std::optional<std::string> {
    if (auto value = env.get(name)) {
      return value;
    }
    // getenv needs a NUL-terminated name; a string_view need not be one.
    const std::string key(name);
    if (const char* value = ::getenv(key.c_str())) {
      return std::string(value);
    }
    return std::nullopt;
  };
}

}  // namespace wharf::stack
