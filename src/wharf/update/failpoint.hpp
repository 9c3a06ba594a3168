#pragma once

#include <csignal>
#include <cstdlib>
#include <string_view>

namespace wharf::update {

/// WHARF_UPDATE_FAILPOINT=<step> (or "recreated": after the first container) makes the process
/// kill itself with SIGKILL right after the journal records <step>: how the tests prove that a
/// run killed at any step is recovered by the next one. Nothing else reads it.
inline void stop_here_if_asked(std::string_view point) {
  const char* failpoint = std::getenv("WHARF_UPDATE_FAILPOINT");
  if (failpoint != nullptr && point == failpoint) {
    ::raise(SIGKILL);
  }
}

}  // namespace wharf::update
