#pragma once

// Failpoints: environment variables through which the tests make wharf kill itself or throw
// at a chosen step (WHARF_UPDATE_FAILPOINT, WHARF_ATOMIC_WRITE_FAILPOINT, WHARF_CLI_FAILPOINT).
// They are test hooks, so an installed wharf must not have them: a variable left in a shell
// would otherwise kill a real update halfway. This header only declares the look-up; which
// definition an executable gets is decided when it is linked (src/CMakeLists.txt):
// src/test_hooks/failpoints_from_environment.cpp in a build with tests (WHARF_BUILD_TESTS=ON),
// src/test_hooks/failpoints_ignored.cpp in every other build.

#include <optional>
#include <string_view>

namespace wharf {

/// The value of the failpoint variable `variable` when this executable has test hooks and the
/// variable is set; nullopt otherwise — always nullopt in a build without tests.
[[nodiscard]] std::optional<std::string_view> failpoint(const char* variable) noexcept;

}  // namespace wharf
