#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/stack/interpolation.hpp"

namespace wharf::stack {

/// One entry of a service's depends_on: the service it waits for and how long it waits.
struct DependsOn {
  std::string service;
  /// service_started | service_healthy | service_completed_successfully (compose's names).
  std::string condition = "service_started";
};

/// What wharf needs to know about one service of the compose file; everything else in it is
/// compose's business and is not read.
struct ComposeService {
  std::string name;
  std::string image;           ///< Interpolated; empty when the service has only build:.
  std::string image_template;  ///< As written in the file.
  bool has_build = false;
  /// A healthcheck: section that is not `disable: true` (nor `test: ["NONE"]`). An image can
  /// bring a HEALTHCHECK of its own, which this does not know about.
  bool has_healthcheck = false;
  std::vector<DependsOn> depends_on;  ///< In file order; list form and map form both.
};

/// The project's compose file as wharf reads it: read-only, and only the parts wharf uses.
struct ComposeFile {
  std::filesystem::path path;
  std::optional<std::string> name;       ///< The top-level name:, interpolated.
  std::vector<ComposeService> services;  ///< In file order.

  /// The service called `service_name`, or nullptr. The pointer is valid while `services` is
  /// unchanged.
  [[nodiscard]] const ComposeService* service(std::string_view service_name) const;
};

/// The compose file compose itself would pick in `directory`, trying compose.yaml,
/// compose.yml, docker-compose.yaml and docker-compose.yml in that order; nullopt when none of
/// them exists.
[[nodiscard]] std::optional<std::filesystem::path> find_compose_file(
    const std::filesystem::path& directory);

/// Reads and checks the compose file at `path`, interpolating the values it reads (each
/// service's image and the top-level name; depends_on names are literal, as in compose) with
/// `lookup`. YAML anchors and aliases work, and so do `<<:` merge keys (which yaml-cpp 0.7 does
/// not resolve itself) for the keys read here. Keys wharf does not read are ignored without
/// checking: the file is compose's, not wharf's.
///
/// Errors are full sentences naming the file and, where the YAML parser knows it, the line:
///   - the file cannot be read: not_found, permission or io (as the OS said);
///   - invalid_input for a YAML syntax error, no `services:` or one that is not a mapping, a
///     service defined twice or one that is not a mapping, an `image:` that is not a string, a
///     service with neither image nor build, an image that interpolates to nothing and has no
///     build, a malformed depends_on or an unknown depends_on condition, and any interpolation
///     error (see interpolate()).
/// depends_on entries naming services the file does not define are kept; start_order() reports
/// them.
///
/// `reading` strict (for `wharf up` and `wharf config`) also refuses every key outside the part
/// of compose wharf runs a stack with (supported_keys.hpp), naming file, line, service and key.
enum class ComposeReading { lenient, strict };
[[nodiscard]] Result<ComposeFile> load_compose_file(
    const std::filesystem::path& path, const VariableLookup& lookup,
    ComposeReading reading = ComposeReading::lenient);

/// The services' names ordered so that each comes after everything it depends on; among
/// services free to start, the one earlier in the file comes first, so a file without
/// depends_on keeps its order. invalid_input naming the services of a cycle ("a → b → a") or a
/// depends_on that names a service the file does not define. (Implemented in start_order.cpp.)
[[nodiscard]] Result<std::vector<std::string>> start_order(const ComposeFile& file);

}  // namespace wharf::stack
