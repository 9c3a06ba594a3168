#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf::registry {

/// An OCI platform as manifest lists and image indexes describe their entries, with Go's
/// names for architectures ("amd64", "arm64", "arm") because that is what registries store.
struct Platform {
  std::string os;            ///< "linux".
  std::string architecture;  ///< "amd64", "arm64", "arm", "386", "ppc64le", "s390x", …
  std::string variant;       ///< "v7" for 32-bit arm, "v8" for arm64, usually empty otherwise.

  /// "linux/amd64", "linux/arm/v7".
  [[nodiscard]] std::string to_string() const;

  [[nodiscard]] bool operator==(const Platform&) const = default;
};

/// The platform of the machine this runs on: linux and the uname(2) machine translated by
/// platform_for_machine().
[[nodiscard]] Platform host_platform();

/// Translates a uname machine name to the platform docker pulls for it: x86_64 → amd64,
/// aarch64 → arm64/v8, armv7l → arm/v7, armv6l → arm/v6, i686 → 386, and so on. Unknown
/// names are passed through as the architecture, so the choice fails visibly (no entry
/// matches) rather than picking a foreign image.
[[nodiscard]] Platform platform_for_machine(std::string_view machine);

/// Parses "os/architecture[/variant]" ("linux/arm64/v8"). Fails with ErrorKind::invalid_input
/// naming the text when it does not have two or three non-empty parts.
[[nodiscard]] Result<Platform> parse_platform(std::string_view text);

/// One entry of a manifest list or image index.
struct PlatformManifest {
  std::string digest;
  std::string media_type;
  std::optional<Platform> platform;  ///< Absent on entries that are not images (attestations).
};

/// The entry a docker engine on `wanted` would pull, or nullptr when none fits. The OS and
/// architecture must be equal; among those, an entry with exactly the wanted variant wins,
/// then one without a variant; for 32-bit arm an older variant runs too (a v7 machine takes
/// v6, then v5), and on arm64 "v8" and no variant are the same. Entries are otherwise taken
/// in their order in the index, as docker does.
[[nodiscard]] const PlatformManifest* select_platform_manifest(
    const std::vector<PlatformManifest>& entries, const Platform& wanted);

}  // namespace wharf::registry
