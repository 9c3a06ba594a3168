#include "wharf/stack/compose_file.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <system_error>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "wharf/stack/compose_yaml.hpp"
#include "wharf/stack/supported_keys.hpp"
#include "wharf/util/atomic_file.hpp"

namespace wharf::stack {
namespace fs = std::filesystem;

namespace {

using yaml::at;
using yaml::key_text;
using yaml::Member;
using yaml::member;

/// compose (go-yaml) refuses a mapping that repeats a key; yaml-cpp silently keeps both, so
/// check the mappings whose keys wharf reads.
[[nodiscard]] Result<void> check_unique_keys(const fs::path& path, const YAML::Node& map,
                                             std::string_view what) {
  std::map<std::string, std::size_t, std::less<>> lines;
  for (const auto& entry : map) {
    const auto key = key_text(entry.first);
    if (!key) {
      return fail(ErrorKind::invalid_input,
                  at(path, entry.first) + ": " + std::string(what) +
                      " has a key that is not plain text — keys are names such as image:");
    }
    const std::size_t line = entry.first.Mark().line + 1;
    if (const auto [previous, added] = lines.emplace(*key, line); !added) {
      return fail(ErrorKind::invalid_input,
                  at(path, entry.first) + ": " + std::string(what) + " sets \"" + *key +
                      "\" a second time (first on line " + std::to_string(previous->second) +
                      ") — compose refuses that; keep one of them");
    }
  }
  return {};
}

[[nodiscard]] Result<std::vector<DependsOn>> read_depends_on(const fs::path& path,
                                                             const std::string& service,
                                                             const Member& entry) {
  static constexpr std::array<std::string_view, 3> conditions = {
      "service_started", "service_healthy", "service_completed_successfully"};
  const std::string field = "services." + service + ".depends_on";
  std::vector<DependsOn> result;
  const YAML::Node& value = entry.value;
  if (value.IsNull()) {
    return result;
  }
  if (value.IsSequence()) {
    for (const auto& item : value) {
      if (!item.IsScalar()) {
        return fail(ErrorKind::invalid_input,
                    at(path, item) + ": " + field +
                        " lists something that is not a service name — write one name per "
                        "item");
      }
      result.push_back(DependsOn{item.Scalar(), "service_started"});
    }
    return result;
  }
  if (!value.IsMap()) {
    return fail(ErrorKind::invalid_input,
                at(path, entry.key) + ": " + field +
                    " is neither a list of service names nor a mapping from service names to "
                    "conditions — write e.g. depends_on: [db] or depends_on: {db: {condition: "
                    "service_healthy}}");
  }
  if (auto unique = check_unique_keys(path, value, field); !unique) {
    return std::unexpected(std::move(unique.error()));
  }
  for (const auto& dependency : value) {
    DependsOn depends{dependency.first.Scalar(), "service_started"};
    const std::string dependency_field = field + "." + depends.service;
    if (!dependency.second.IsNull() && !dependency.second.IsMap()) {
      return fail(ErrorKind::invalid_input,
                  at(path, dependency.first) + ": " + dependency_field +
                      " is not a mapping — write its settings below it, e.g. condition: "
                      "service_started");
    }
    const Member condition = member(dependency.second, "condition");
    if (condition.found() && !condition.value.IsNull()) {
      const bool known =
          condition.value.IsScalar() && std::find(conditions.begin(), conditions.end(),
                                                  condition.value.Scalar()) != conditions.end();
      if (!known) {
        const std::string written =
            condition.value.IsScalar() ? "\"" + condition.value.Scalar() + "\"" : "not a name";
        return fail(ErrorKind::invalid_input,
                    at(path, condition.key) + ": " + dependency_field + ".condition is " + written +
                        ", but compose knows only service_started, service_healthy and "
                        "service_completed_successfully");
      }
      depends.condition = condition.value.Scalar();
    }
    result.push_back(std::move(depends));
  }
  return result;
}

/// Whether a healthcheck: section turns a check on: present, and neither `disable: true` nor
/// `test: ["NONE"]` (compose's two ways of switching off the image's own check).
[[nodiscard]] Result<bool> read_healthcheck(const fs::path& path, const std::string& service,
                                            const Member& entry) {
  const YAML::Node& value = entry.value;
  if (value.IsNull()) {
    return false;
  }
  if (!value.IsMap()) {
    return fail(ErrorKind::invalid_input,
                at(path, entry.key) + ": services." + service +
                    ".healthcheck is not a mapping — write its settings (test:, interval:, …) "
                    "below it");
  }
  const Member disable = member(value, "disable");
  if (disable.found()) {
    bool disabled = false;
    if (!disable.value.IsScalar() || !YAML::convert<bool>::decode(disable.value, disabled)) {
      return fail(ErrorKind::invalid_input, at(path, disable.key) + ": services." + service +
                                                ".healthcheck.disable must be true or false");
    }
    if (disabled) {
      return false;
    }
  }
  const Member test = member(value, "test");
  if (test.found() && test.value.IsSequence() && test.value.size() == 1 &&
      test.value[0].IsScalar() && test.value[0].Scalar() == "NONE") {
    return false;
  }
  return true;
}

[[nodiscard]] Result<ComposeService> read_service(const fs::path& path, const YAML::Node& key,
                                                  const YAML::Node& body,
                                                  const VariableLookup& lookup) {
  ComposeService service;
  service.name = key.Scalar();
  const std::string quoted = "service \"" + service.name + "\"";
  if (!body.IsMap()) {
    return fail(ErrorKind::invalid_input,
                at(path, key) + ": " + quoted +
                    " is not a mapping — give it its settings (image:, build:, …) indented "
                    "below its name");
  }
  if (auto unique = check_unique_keys(path, body, quoted); !unique) {
    return std::unexpected(std::move(unique.error()));
  }

  const Member build = member(body, "build");
  service.has_build = build.found() && !build.value.IsNull();

  const Member image = member(body, "image");
  if (image.found() && !image.value.IsNull()) {
    const std::string field = "services." + service.name + ".image";
    if (!image.value.IsScalar()) {
      return fail(ErrorKind::invalid_input,
                  at(path, image.key) + ": " + field +
                      " is not a string — write the image reference as text, e.g. image: "
                      "registry.example/app:1.0");
    }
    service.image_template = image.value.Scalar();
    auto interpolated =
        interpolate(service.image_template, lookup, at(path, image.key) + ": " + field);
    if (!interpolated) {
      return std::unexpected(std::move(interpolated.error()));
    }
    service.image = std::move(*interpolated);
    if (service.image.empty() && !service.has_build) {
      const auto variables = referenced_variables(service.image_template);
      std::string hint = "give the service an image";
      if (!variables.empty()) {
        hint = "give " + variables.front() + " a value in the .env file or the environment";
      }
      return fail(ErrorKind::invalid_input, at(path, image.key) + ": " + field + " \"" +
                                                service.image_template +
                                                "\" is empty after interpolation — " + hint);
    }
  } else if (!service.has_build) {
    return fail(ErrorKind::invalid_input,
                at(path, key) + ": " + quoted + " has neither image nor build — give it an image");
  }

  if (const Member healthcheck = member(body, "healthcheck"); healthcheck.found()) {
    auto enabled = read_healthcheck(path, service.name, healthcheck);
    if (!enabled) {
      return std::unexpected(std::move(enabled.error()));
    }
    service.has_healthcheck = *enabled;
  }
  if (const Member depends_on = member(body, "depends_on"); depends_on.found()) {
    auto dependencies = read_depends_on(path, service.name, depends_on);
    if (!dependencies) {
      return std::unexpected(std::move(dependencies.error()));
    }
    service.depends_on = std::move(*dependencies);
  }
  return service;
}

[[nodiscard]] Result<ComposeFile> read_document(const fs::path& path, const YAML::Node& root,
                                                const VariableLookup& lookup) {
  ComposeFile file;
  file.path = path;
  if (!root.IsMap()) {
    return fail(ErrorKind::invalid_input,
                path.string() +
                    ": is not a compose file — it must be a YAML mapping with a services: "
                    "section");
  }
  if (auto unique = check_unique_keys(path, root, "the file"); !unique) {
    return std::unexpected(std::move(unique.error()));
  }

  if (const Member name = member(root, "name"); name.found() && !name.value.IsNull()) {
    if (!name.value.IsScalar()) {
      return fail(ErrorKind::invalid_input,
                  at(path, name.key) + ": name is not a string — write the project name as text");
    }
    auto interpolated = interpolate(name.value.Scalar(), lookup, at(path, name.key) + ": name");
    if (!interpolated) {
      return std::unexpected(std::move(interpolated.error()));
    }
    file.name = std::move(*interpolated);
  }

  const Member services = member(root, "services");
  if (!services.found()) {
    return fail(
        ErrorKind::invalid_input,
        path.string() + ": has no services: section — list the stack's containers under services:");
  }
  if (!services.value.IsMap()) {
    return fail(ErrorKind::invalid_input,
                at(path, services.key) +
                    ": services: is not a mapping of service names to services — write each "
                    "service as \"name:\" with its settings indented below");
  }
  if (auto unique = check_unique_keys(path, services.value, "services:"); !unique) {
    return std::unexpected(std::move(unique.error()));
  }
  for (const auto& entry : services.value) {
    if (key_text(entry.first) == "<<") {
      return fail(ErrorKind::invalid_input,
                  at(path, entry.first) +
                      ": services: merges whole services in with <<:, which wharf does not read "
                      "— write each service out under services: (a << inside a service is "
                      "fine).");
    }
    auto service = read_service(path, entry.first, entry.second, lookup);
    if (!service) {
      return std::unexpected(std::move(service.error()));
    }
    file.services.push_back(std::move(*service));
  }
  return file;
}

}  // namespace

const ComposeService* ComposeFile::service(std::string_view service_name) const {
  const auto found =
      std::find_if(services.begin(), services.end(),
                   [service_name](const ComposeService& s) { return s.name == service_name; });
  return found == services.end() ? nullptr : &*found;
}

std::optional<fs::path> find_compose_file(const fs::path& directory) {
  static constexpr std::array<std::string_view, 4> names = {
      "compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"};
  for (const std::string_view name : names) {
    fs::path candidate = directory / name;
    std::error_code error;
    if (fs::exists(candidate, error)) {
      return candidate;
    }
  }
  return std::nullopt;
}

Result<ComposeFile> load_compose_file(const fs::path& path, const VariableLookup& lookup,
                                      ComposeReading reading) {
  auto text = read_text_file(path);
  if (!text) {
    return std::unexpected(std::move(text.error()));
  }
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& error) {
    const std::string where = error.mark.is_null()
                                  ? path.string()
                                  : path.string() + ":" + std::to_string(error.mark.line + 1) +
                                        ":" + std::to_string(error.mark.column + 1);
    return fail(ErrorKind::invalid_input,
                where + ": is not valid YAML: " + error.msg + " — fix the syntax there");
  }
  try {
    auto file = read_document(path, root, lookup);
    if (file && reading == ComposeReading::strict) {
      if (auto supported = check_supported_keys(path, root); !supported) {
        return std::unexpected(std::move(supported.error()));
      }
    }
    return file;
  } catch (const YAML::Exception& error) {
    // The reader only looks at nodes it has checked, so this is a bug in wharf, not in the file.
    return fail(ErrorKind::internal,
                path.string() + ": reading the compose file failed unexpectedly: " + error.what());
  }
}

}  // namespace wharf::stack
