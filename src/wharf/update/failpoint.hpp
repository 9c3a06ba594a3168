#pragma once

#include <csignal>
#include <string_view>

#include "wharf/util/failpoint.hpp"

namespace wharf::update {

/// WHARF_UPDATE_FAILPOINT=<step> (or "recreated": after the first container) makes the process
/// kill itself with SIGKILL right after the journal records <step>: how the tests prove that a
/// run killed at any step is recovered by the next one. Only a build with tests reads it
/// (wharf/util/failpoint.hpp).
inline void stop_here_if_asked(std::string_view point) {
  if (failpoint("WHARF_UPDATE_FAILPOINT") == point) {
    ::raise(SIGKILL);
  }
}

}  // namespace wharf::update
