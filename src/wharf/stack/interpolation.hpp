#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::stack {

/// The value of a variable, or nullopt when it is unset. An empty string is a value: the
/// `:-`/`-` and `:?`/`?` forms tell "set but empty" and "unset" apart.
using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// Expands `text` as docker compose (v2) interpolates a value of its file:
///   - `$VAR` and `${VAR}`: the value, or "" when VAR is unset (compose only warns);
///   - `${VAR:-default}`: default when VAR is unset or empty; `${VAR-default}`: only when unset;
///   - `${VAR:?message}`: an error when VAR is unset or empty; `${VAR?message}`: only when unset;
///   - `${VAR:+alt}`: alt when VAR is set and not empty, else ""; `${VAR+alt}`: alt when set;
///   - `$$`: a literal `$`.
/// Names match [A-Za-z_][A-Za-z0-9_]*. A default, alt or message is itself interpolated, so
/// `${A:-${B:-x}}` nests. As compose does, the text after the operator is interpolated even when
/// it is not used, so a `${B:?…}` inside the default of a set A still fails: wharf says no
/// exactly where compose would.
///
/// `where` names the value for error messages ("docker/docker-compose.yml:5: services.app.image").
/// Errors, both ErrorKind::invalid_input:
///   - a required variable without a value: "<where>: required variable NAME is missing a value:
///     <message>" (the message interpolated, as compose prints it);
///   - a malformed expression (a `${` never closed, a `$` not followed by a name, `${}`, a bad
///     name, an unknown operator): "<where>: invalid interpolation in "<text>": …", saying how to
///     write a literal `$`.
[[nodiscard]] Result<std::string> interpolate(std::string_view text, const VariableLookup& lookup,
                                              std::string_view where);

/// The names of the variables `text` refers to, in order of first appearance and without
/// duplicates, including those inside defaults, alternatives and messages
/// (`${A:-${B}}` gives A, B); `$$` refers to nothing. Never fails: for malformed text it returns
/// the names found before the first malformed expression (interpolate() reports that one).
[[nodiscard]] std::vector<std::string> referenced_variables(std::string_view text);

}  // namespace wharf::stack
