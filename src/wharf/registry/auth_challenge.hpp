#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::registry {

/// One challenge of a `WWW-Authenticate` header: the scheme a registry wants ("bearer",
/// "basic") and its parameters (for bearer: realm, service, scope, error).
struct AuthChallenge {
  std::string scheme;                             ///< Lower-cased: "bearer", "basic".
  std::map<std::string, std::string> parameters;  ///< Names lower-cased, values unquoted.
  std::string token68;                            ///< The rare "Scheme token68" form.

  /// The parameter `name` (lower-case), if present.
  [[nodiscard]] std::optional<std::string> parameter(const std::string& name) const;

  [[nodiscard]] bool operator==(const AuthChallenge&) const = default;
};

/// Parses a `WWW-Authenticate` value as RFC 7235 §4.1 defines it: one or more challenges
/// separated by commas, each a scheme followed by either a token68 or comma-separated
/// `name=value` parameters whose values are tokens or quoted strings with backslash escapes.
/// Several headers may be joined with ", " before parsing. Fails with ErrorKind::remote,
/// describing what was malformed and where, when the text is not such a list (the header
/// comes from a registry, so the registry is at fault).
[[nodiscard]] Result<std::vector<AuthChallenge>> parse_www_authenticate(std::string_view header);

/// The first challenge with `scheme` (compared case-insensitively), if any.
[[nodiscard]] const AuthChallenge* find_challenge(const std::vector<AuthChallenge>& challenges,
                                                  std::string_view scheme);

}  // namespace wharf::registry
