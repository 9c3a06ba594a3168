// `wharf info`: how this installation runs, and the update strategy that follows from it.
#include <nlohmann/json.hpp>

#include "wharf/core/wording.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/runtime/deployment.hpp"
#include "wharf/runtime/stack_containers.hpp"

#include "cli/commands.hpp"
#include "cli/engine_setup.hpp"

namespace wharf::cli {
namespace {

nlohmann::json optional_path(const std::optional<std::filesystem::path>& path) {
  return path ? nlohmann::json(path->string()) : nlohmann::json(nullptr);
}

nlohmann::json to_json(const runtime::Deployment& deployment) {
  nlohmann::json checkout = nullptr;
  if (deployment.checkout) {
    const auto& git = *deployment.checkout;
    checkout = {
        {"toplevel", git.toplevel.string()},
        {"branch", git.branch.empty() ? nlohmann::json(nullptr) : nlohmann::json(git.branch)},
        {"commit", git.commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(git.commit)},
        {"tags_at_head", git.tags_at_head}};
  }
  const auto& container = deployment.container;
  nlohmann::json stack = nullptr;
  if (deployment.stack) {
    stack = {{"containers", deployment.stack->containers}, {"running", deployment.stack->running}};
  }
  nlohmann::json compose_cli = nullptr;
  if (deployment.compose_cli) {
    compose_cli = {{"command", deployment.compose_cli->command},
                   {"version", deployment.compose_cli->version}};
  }
  const auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
  };
  return {{"project_root", deployment.project_root.string()},
          {"source_checkout", checkout},
          {"container",
           {{"inside", container.inside},
            {"runtime", text_or_null(container.runtime)},
            {"container_id", container.container_id ? nlohmann::json(*container.container_id)
                                                    : nlohmann::json(nullptr)},
            {"evidence", container.evidence}}},
          {"compose_file", optional_path(deployment.compose_file)},
          {"compose_project", text_or_null(deployment.project_name)},
          {"compose_project_error", text_or_null(deployment.project_error)},
          {"stack", stack},
          {"stack_error", text_or_null(deployment.stack_error)},
          {"compose_cli", compose_cli},
          {"update_strategy",
           {{"strategy", runtime::to_string(deployment.strategy.strategy)},
            {"reason", deployment.strategy.reason}}}};
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const auto& part : parts) {
    text += (text.empty() ? "" : separator) + part;
  }
  return text;
}

void print_text(const Console& console, const runtime::Deployment& deployment) {
  std::string source = "not a git checkout";
  if (deployment.checkout) {
    const auto& git = *deployment.checkout;
    source = "git checkout at " + git.toplevel.string() + ", " +
             (git.branch.empty() ? "detached HEAD" : "branch " + git.branch);
    if (!git.commit.empty()) {
      source += ", HEAD " + git.commit;
    }
    if (!git.tags_at_head.empty()) {
      source += " (tagged " + join(git.tags_at_head, ", ") + ")";
    }
  }
  const auto& container = deployment.container;
  std::string inside = "not inside a container (no sign of one)";
  if (container.inside) {
    inside = "inside a container" +
             (container.runtime.empty() ? std::string() : " (" + container.runtime + ")") + ": " +
             join(container.evidence, "; ");
  }
  std::string stack;
  if (deployment.stack) {
    stack = deployment.stack->containers == 0
                ? "no container of the project on the engine"
                : counted(deployment.stack->containers, "container") + ", " +
                      std::to_string(deployment.stack->running) + " running";
  } else {
    stack = "unknown: " + deployment.stack_error;
  }
  const auto row = [&console](std::string key, const std::string& value) {
    key.resize(17, ' ');
    console.line(key + value);
  };
  row("project root", deployment.project_root.string());
  row("source", source);
  row("container", inside);
  row("compose file", deployment.compose_file ? deployment.compose_file->string() : "none");
  row("compose project", deployment.project_name.empty() ? "unknown: " + deployment.project_error
                                                         : deployment.project_name);
  row("stack", stack);
  row("compose CLI", deployment.compose_cli ? deployment.compose_cli->describe()
                                            : "none (neither docker compose nor docker-compose)");
  row("update strategy", std::string(runtime::to_string(deployment.strategy.strategy)) + ": " +
                             deployment.strategy.reason);
}

Result<int> run_info(const GlobalOptions& globals, const Console& console) {
  // The engine is only asked whether the stack exists; info still answers when it is down.
  const runtime::StackCounter count_stack =
      [&globals](const std::string& project) -> Result<runtime::StackPresence> {
    auto engine = connect_engine(globals.host);
    if (!engine) {
      return std::unexpected(engine.error());
    }
    auto containers = runtime::list_project_containers(*engine, project);
    if (!containers) {
      return std::unexpected(containers.error());
    }
    runtime::StackPresence presence{.containers = containers->size()};
    for (const auto& container : *containers) {
      presence.running += container.state == "running" ? 1 : 0;
    }
    return presence;
  };
  const auto deployment = runtime::detect_deployment(pin::ProjectLayout{globals.project_root()},
                                                     runtime::SystemProbe::real(), count_stack);
  if (console.json()) {
    console.json(to_json(deployment));
  } else {
    print_text(console, deployment);
  }
  return exit_ok;
}

}  // namespace

void set_info_command(CLI::App& app, GlobalOptions& globals) {
  auto* command = app.add_subcommand(
      "info",
      "How this installation runs (git checkout, inside a container, compose file, stack, "
      "compose CLI) and which update strategy that implies");
  command->callback([&globals] {
    run_command(globals, [&](const Console& console) { return run_info(globals, console); });
  });
}

}  // namespace wharf::cli
