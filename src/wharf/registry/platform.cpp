#include "wharf/registry/platform.hpp"

#include <array>
#include <utility>

#include <sys/utsname.h>

#include "wharf/core/strings.hpp"

namespace wharf::registry {
namespace {

// How well an entry's variant suits the wanted one; 0 means it does not run.
int variant_score(const Platform& wanted, const std::string& offered) {
  if (offered == wanted.variant) {
    return 100;
  }
  if (wanted.architecture == "arm64") {
    // arm64 has only v8 in practice; docker treats "" and "v8" as the same.
    const bool both_v8 =
        (offered.empty() || offered == "v8") && (wanted.variant.empty() || wanted.variant == "v8");
    return both_v8 ? 90 : 0;
  }
  if (offered.empty()) {
    return 50;
  }
  if (wanted.architecture == "arm" && wanted.variant.size() == 2 && offered.size() == 2 &&
      wanted.variant[0] == 'v' && offered[0] == 'v' && offered[1] >= '5' &&
      offered[1] < wanted.variant[1]) {
    // A newer 32-bit arm core runs older code; prefer the newest that still runs.
    return 10 + (offered[1] - '0');
  }
  return 0;
}

}  // namespace

std::string Platform::to_string() const {
  std::string result = os + "/" + architecture;
  if (!variant.empty()) {
    result += "/" + variant;
  }
  return result;
}

Platform platform_for_machine(std::string_view machine) {
  static constexpr std::array<std::pair<std::string_view, std::pair<const char*, const char*>>, 12>
      kMachines{{
          {"x86_64", {"amd64", ""}},
          {"amd64", {"amd64", ""}},
          {"aarch64", {"arm64", "v8"}},
          {"arm64", {"arm64", "v8"}},
          {"armv8l", {"arm", "v7"}},  // A 32-bit userland on a 64-bit arm core.
          {"armv7l", {"arm", "v7"}},
          {"armv6l", {"arm", "v6"}},
          {"armv5tel", {"arm", "v5"}},
          {"i386", {"386", ""}},
          {"i686", {"386", ""}},
          {"ppc64le", {"ppc64le", ""}},
          {"riscv64", {"riscv64", ""}},
      }};
  for (const auto& [name, platform] : kMachines) {
    if (name == machine) {
      return Platform{"linux", platform.first, platform.second};
    }
  }
  return Platform{"linux", std::string(machine), ""};
}

Platform host_platform() {
  utsname names{};
  if (::uname(&names) != 0) {
    return platform_for_machine("unknown");
  }
  return platform_for_machine(names.machine);
}

Result<Platform> parse_platform(std::string_view text) {
  const auto parts = split(text, '/');
  bool empty_part = false;
  for (const auto part : parts) {
    empty_part = empty_part || part.empty();
  }
  if (parts.size() < 2 || parts.size() > 3 || empty_part) {
    return fail(ErrorKind::invalid_input,
                "\"" + std::string(text) +
                    "\" is not a platform: write os/architecture[/variant], e.g. linux/amd64 "
                    "or linux/arm64/v8.");
  }
  return Platform{std::string(parts[0]), std::string(parts[1]),
                  parts.size() == 3 ? std::string(parts[2]) : std::string()};
}

const PlatformManifest* select_platform_manifest(const std::vector<PlatformManifest>& entries,
                                                 const Platform& wanted) {
  const PlatformManifest* best = nullptr;
  int best_score = 0;
  for (const auto& entry : entries) {
    if (!entry.platform || entry.platform->os != wanted.os ||
        entry.platform->architecture != wanted.architecture) {
      continue;
    }
    const int score = variant_score(wanted, entry.platform->variant);
    if (score > best_score) {  // Strictly better, so the first of equals wins.
      best = &entry;
      best_score = score;
    }
  }
  return best;
}

}  // namespace wharf::registry
