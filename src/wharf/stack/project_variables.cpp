#include "wharf/stack/project_variables.hpp"

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace wharf::stack {
namespace {

std::optional<std::string> from_environment(std::string_view name) {
  // getenv needs a NUL-terminated name; a string_view need not be one.
  const std::string key(name);
  if (const char* value = ::getenv(key.c_str())) {
    return std::string(value);
  }
  return std::nullopt;
}

// `name` in `values`, else in the process environment.
std::optional<std::string> value_of(const EnvValues& values, std::string_view name) {
  if (const auto found = values.find(name); found != values.end()) {
    return found->second;
  }
  return from_environment(name);
}

}  // namespace

Result<EnvValues> evaluated_env(const EnvFile& env) {
  // In file order, each value sees the ones above it, as compose evaluates the file.
  EnvValues values;
  const VariableLookup above = [&values](std::string_view name) { return value_of(values, name); };
  for (const auto& assignment : env.assignments()) {
    if (!assignment.interpolation) {
      values[assignment.key] = assignment.value;
      continue;
    }
    auto expanded = interpolate(
        *assignment.interpolation, above,
        env.source_name() + ":" + std::to_string(assignment.line) + ": " + assignment.key);
    if (!expanded) {
      return std::unexpected(std::move(expanded.error()));
    }
    values[assignment.key] = std::move(*expanded);
  }
  return values;
}

Result<VariableLookup> project_variables(const EnvFile& env) {
  auto values = evaluated_env(env);
  if (!values) {
    return std::unexpected(std::move(values.error()));
  }
  return [values = std::move(*values)](std::string_view name) { return value_of(values, name); };
}

}  // namespace wharf::stack
