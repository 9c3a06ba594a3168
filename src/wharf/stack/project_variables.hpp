#pragma once

#include "wharf/core/env_file.hpp"
#include "wharf/stack/interpolation.hpp"

namespace wharf::stack {

/// The variables wharf interpolates the compose file with: a key's value in `env` (the project's
/// .env) when the file gives it one, otherwise the process environment (::getenv), otherwise
/// unset. The lookup keeps its own copy of `env`, so it may outlive the argument.
///
/// This deliberately differs from compose, where a variable exported in the shell wins over
/// .env. wharf pins the release in .env (IMAGE_TAG): that file is the truth about which images
/// the stack runs, and an IMAGE_TAG left exported in someone's shell from an earlier release
/// must not make `wharf images` or `wharf update` answer for a different release than the
/// pinned one. A caller that runs compose itself should put these values into that process's
/// environment so compose sees the same images.
///
/// `KEY=` in .env is a value (the empty string) and hides the environment; a bare `KEY` line
/// gives no value, so KEY comes from the environment — which is what compose does with it too.
[[nodiscard]] VariableLookup project_variables(const EnvFile& env);

}  // namespace wharf::stack
