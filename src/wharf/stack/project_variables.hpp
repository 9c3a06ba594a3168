#pragma once

#include <functional>
#include <map>
#include <string>

#include "wharf/core/env_file.hpp"
#include "wharf/core/error.hpp"
#include "wharf/stack/interpolation.hpp"

namespace wharf::stack {

/// The variables wharf interpolates the compose file with: a key's value in `env` (the project's
/// .env) when the file gives it one, otherwise the process environment (::getenv), otherwise
/// unset. The lookup keeps its own copy of the values, so it may outlive the argument.
///
/// The .env values are read as compose reads them: an unquoted or double-quoted value is itself
/// interpolated (see interpolate()), against the keys given a value above it in the file and
/// then the process environment; a single-quoted value is literal. With `IMAGE_TAG=1.2.3` and
/// then `SUFFIX=${IMAGE_TAG}-x`, SUFFIX is "1.2.3-x"; `'${IMAGE_TAG}'` stays as written.
///
/// This deliberately differs from compose in one way: in compose a variable exported in the
/// shell wins over .env. wharf pins the release in .env (IMAGE_TAG): that file is the truth about
/// which images the stack runs, and an IMAGE_TAG left exported in someone's shell from an
/// earlier release must not make `wharf images` or `wharf update` answer for a different release
/// than the pinned one. A caller that runs compose itself should put these values into that
/// process's environment so compose sees the same images.
///
/// `KEY=` in .env is a value (the empty string) and hides the environment; a bare `KEY` line
/// gives no value, so KEY comes from the environment — which is what compose does with it too.
///
/// Errors (ErrorKind::invalid_input, nothing else is read): a value with a malformed expression
/// or a `${VAR:?message}` whose VAR has no value, as "<env file>:<line>: KEY: …".
[[nodiscard]] Result<VariableLookup> project_variables(const EnvFile& env);

/// The values `env` gives, evaluated as project_variables() reads them (each key once, with its
/// last value): what a compose process started by wharf gets in its environment, so that it
/// sees the same values wharf does. Errors as project_variables().
using EnvValues = std::map<std::string, std::string, std::less<>>;
[[nodiscard]] Result<EnvValues> evaluated_env(const EnvFile& env);

}  // namespace wharf::stack
