// start_order() of compose_file.hpp: the dependency graph's order, apart from reading the file.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "wharf/stack/compose_file.hpp"

namespace wharf::stack {
namespace {

/// The services of a cycle, given that every service not yet `placed` waits for another one
/// that is not placed either (otherwise it could have started): following such waits from the
/// first unplaced service must come back to a service already on the path.
[[nodiscard]] std::string describe_cycle(const ComposeFile& file,
                                         const std::vector<std::vector<std::size_t>>& waits_for,
                                         const std::vector<bool>& placed) {
  const auto first = std::find(placed.begin(), placed.end(), false);
  std::vector<std::size_t> path{static_cast<std::size_t>(first - placed.begin())};
  while (true) {
    const auto& dependencies = waits_for[path.back()];
    const auto next = *std::find_if(dependencies.begin(), dependencies.end(),
                                    [&placed](std::size_t d) { return !placed[d]; });
    const auto seen = std::find(path.begin(), path.end(), next);
    if (seen != path.end()) {
      std::string text;
      for (auto it = seen; it != path.end(); ++it) {
        text += file.services[*it].name + " → ";
      }
      return text + file.services[next].name;
    }
    path.push_back(next);
  }
}

}  // namespace

Result<std::vector<std::string>> start_order(const ComposeFile& file) {
  const std::size_t count = file.services.size();
  std::vector<std::vector<std::size_t>> waits_for(count);
  for (std::size_t i = 0; i < count; ++i) {
    const ComposeService& service = file.services[i];
    for (const DependsOn& dependency : service.depends_on) {
      const auto found =
          std::find_if(file.services.begin(), file.services.end(),
                       [&](const ComposeService& s) { return s.name == dependency.service; });
      if (found == file.services.end()) {
        return fail(ErrorKind::invalid_input,
                    file.path.string() + ": service \"" + service.name + "\" depends on \"" +
                        dependency.service +
                        "\", which the file does not define — fix the name in its depends_on "
                        "or add that service");
      }
      waits_for[i].push_back(static_cast<std::size_t>(found - file.services.begin()));
    }
  }

  // Kahn's algorithm, always taking the earliest service in the file whose dependencies have
  // all started, so the file's order is kept wherever depends_on allows it. Files have a
  // handful of services; the quadratic scan is simpler than a priority queue.
  std::vector<bool> placed(count, false);
  std::vector<std::string> order;
  order.reserve(count);
  while (order.size() < count) {
    std::optional<std::size_t> ready;
    for (std::size_t i = 0; i < count && !ready; ++i) {
      const bool can_start =
          !placed[i] && std::all_of(waits_for[i].begin(), waits_for[i].end(),
                                    [&placed](std::size_t d) { return placed[d]; });
      if (can_start) {
        ready = i;
      }
    }
    if (!ready) {
      return fail(ErrorKind::invalid_input,
                  file.path.string() + ": the services depend on each other in a cycle (" +
                      describe_cycle(file, waits_for, placed) +
                      "), so none of them can start first — remove one of these depends_on "
                      "entries");
    }
    placed[*ready] = true;
    order.push_back(file.services[*ready].name);
  }
  return order;
}

}  // namespace wharf::stack
