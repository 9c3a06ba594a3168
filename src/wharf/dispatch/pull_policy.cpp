#include "wharf/dispatch/pull_policy.hpp"

#include <string>

namespace wharf::dispatch {

std::string_view to_string(PullPolicy policy) noexcept {
  switch (policy) {
    case PullPolicy::missing:
      return "missing";
    case PullPolicy::always:
      return "always";
    case PullPolicy::never:
      return "never";
  }
  return "missing";
}

Result<PullPolicy> parse_pull_policy(std::string_view text) {
  if (text == "missing") {
    return PullPolicy::missing;
  }
  if (text == "always") {
    return PullPolicy::always;
  }
  if (text == "never") {
    return PullPolicy::never;
  }
  return fail(ErrorKind::invalid_input, "'" + std::string(text) +
                                            "' is not a pull policy — use --pull missing, "
                                            "--pull always or --pull never.");
}

}  // namespace wharf::dispatch
