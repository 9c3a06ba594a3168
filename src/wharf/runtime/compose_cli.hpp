#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wharf/runtime/system_probe.hpp"

namespace wharf::runtime {

/// A compose command line that answered.
struct ComposeCli {
  /// The argv prefix that runs it: {"docker", "compose"} (the v2 plugin) or {"docker-compose"}.
  std::vector<std::string> command{};
  std::string version{};  ///< "2.24.6", "1.29.2"; "" when its answer named none.

  /// "docker compose 2.24.6".
  [[nodiscard]] std::string describe() const;
};

/// The compose CLI to use: `docker compose version` first (the maintained plugin), then
/// `docker-compose version`; the first that exits 0 wins. Run without a shell through
/// probe.run; nullopt when neither is installed or answers.
[[nodiscard]] std::optional<ComposeCli> find_compose_cli(const SystemProbe& probe);

/// The version number in a `compose version` answer ("Docker Compose version v2.24.6",
/// "docker-compose version 1.29.2, build unknown"), without the "v"; "" when there is none.
[[nodiscard]] std::string compose_version_in(const std::string& answer);

}  // namespace wharf::runtime
