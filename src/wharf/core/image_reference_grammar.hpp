#pragma once

#include <optional>
#include <string>
#include <string_view>

/// The parts of Docker's image reference grammar (distribution/reference), checked one at a
/// time so ImageReference::parse can say which part is wrong. Each *_problem function returns
/// nullopt for a valid part, or a clause such as "the tag '-rc' starts with '-'; …" that the
/// caller puts after the reference it is reporting on.
namespace wharf::reference_grammar {

/// Docker's rule for telling "host/repo" from "user/repo": the first '/'-separated part is
/// a registry only if it contains '.' or ':' or is exactly "localhost".
[[nodiscard]] bool looks_like_domain(std::string_view first_component) noexcept;

/// A registry: dot-separated [a-zA-Z0-9] components with inner '-', or a bracketed IPv6
/// address of hex digits and colons; either optionally followed by ':' and digits.
[[nodiscard]] std::optional<std::string> domain_problem(std::string_view domain);

/// A repository path: non-empty, lowercase, '/'-separated components of [a-z0-9]+ runs joined
/// by '.', '_', '__' or one or more '-'.
[[nodiscard]] std::optional<std::string> path_problem(std::string_view path);

/// A tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
[[nodiscard]] std::optional<std::string> tag_problem(std::string_view tag);

/// A digest ALGORITHM:HEX: ALGORITHM is [A-Za-z][A-Za-z0-9]* runs joined by one of "+.-_";
/// HEX is exactly 64/96/128 hex digits for sha256/sha384/sha512, at least 32 otherwise.
[[nodiscard]] std::optional<std::string> digest_problem(std::string_view digest);

}  // namespace wharf::reference_grammar
