#include "wharf/runtime/compose_cli.hpp"

#include <array>
#include <chrono>
#include <regex>

#include "wharf/core/strings.hpp"

namespace wharf::runtime {
namespace {

// `compose version` reads no project and asks no engine; a slow answer means something is
// wrong with the installation, not a large stack.
constexpr std::chrono::seconds kVersionTimeout{15};

}  // namespace

std::string ComposeCli::describe() const {
  const auto text = join(command, " ");
  return version.empty() ? text : text + " " + version;
}

std::string compose_version_in(const std::string& answer) {
  static const std::regex version(R"(v?([0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+-]*))");
  std::smatch match;
  if (std::regex_search(answer, match, version)) {
    return match[1];
  }
  return {};
}

std::optional<ComposeCli> find_compose_cli(const SystemProbe& probe) {
  const std::array<std::vector<std::string>, 2> candidates{
      std::vector<std::string>{"docker", "compose"}, std::vector<std::string>{"docker-compose"}};
  for (const auto& command : candidates) {
    auto argv = command;
    argv.emplace_back("version");
    const auto result = probe.run(ProcessSpec{.argv = std::move(argv), .timeout = kVersionTimeout});
    if (result && result->exit_code == 0) {
      return ComposeCli{.command = command, .version = compose_version_in(result->standard_output)};
    }
  }
  return std::nullopt;
}

}  // namespace wharf::runtime
