#include "cli/usage_errors.hpp"

#include "wharf/core/strings.hpp"
#include "wharf/core/suggestion.hpp"

namespace wharf::cli {
namespace {

// The commands a user can type below `command` (a hidden one has an empty group).
std::vector<CLI::App*> visible_subcommands(CLI::App& command) {
  return command.get_subcommands(
      [](CLI::App* sub) { return !sub->get_name().empty() && !sub->get_group().empty(); });
}

std::vector<std::string> names_of(const std::vector<CLI::App*>& commands) {
  std::vector<std::string> names;
  for (const auto* command : commands) {
    names.push_back(command->get_name());
  }
  return names;
}

// "wharf images check", as the user types it.
std::string command_path(const CLI::App& command) {
  std::string path;
  for (const CLI::App* at = &command; at != nullptr && at->get_parent() != nullptr;
       at = at->get_parent()) {
    path = at->get_name() + (path.empty() ? "" : " " + path);
  }
  return path.empty() ? "wharf" : "wharf " + path;
}

// "images check": the path without the program, for quoting a command word.
std::string words_below_root(const CLI::App& command) {
  const auto path = command_path(command);
  return path == "wharf" ? std::string() : path.substr(6);
}

bool takes_positionals(CLI::App& command) {
  return !command.get_options([](const CLI::Option* option) { return option->get_positional(); })
              .empty();
}

// The name an option is looked up by: "--tasks" of "--tasks=x", "-e" of "-eK=V".
std::string option_name(const std::string& arg) {
  if (arg.starts_with("--")) {
    return arg.substr(0, arg.find('='));
  }
  return arg.substr(0, 2);
}

// Whether the value of `option` follows as the next argument.
bool value_follows(const CLI::Option& option, const std::string& arg) {
  if (option.get_expected_max() == 0) {
    return false;  // A flag.
  }
  return arg.starts_with("--") ? arg.find('=') == std::string::npos : arg.size() == 2;
}

// The option called `name` of `command` or of a command it falls through to.
const CLI::Option* find_option(const std::vector<CLI::App*>& chain, const std::string& name) {
  for (auto at = chain.rbegin(); at != chain.rend(); ++at) {
    if (const auto* option = (*at)->get_option_no_throw(name); option != nullptr) {
      return option;
    }
  }
  return nullptr;
}

// Every command below `command` (itself included) with an option called `name`.
void commands_with_option(CLI::App& command, const std::string& name,
                          std::vector<std::string>& found) {
  if (command.get_option_no_throw(name) != nullptr) {
    found.push_back("`" + command_path(command) + "`");
  }
  for (auto* sub : visible_subcommands(command)) {
    commands_with_option(*sub, name, found);
  }
}

// The options a user could have meant at this point of the command line.
std::vector<std::string> option_names(const std::vector<CLI::App*>& chain) {
  std::vector<std::string> names;
  for (auto* command : chain) {
    for (const auto* option : command->get_options()) {
      for (const auto& name : option->get_lnames()) {
        names.push_back("--" + name);
      }
    }
  }
  return names;
}

std::optional<std::string> unknown_option(CLI::App& root, const std::vector<CLI::App*>& chain,
                                          const std::string& name) {
  std::vector<std::string> owners;
  commands_with_option(root, name, owners);
  const auto here = "`" + command_path(*chain.back()) + "`";
  if (!owners.empty()) {
    const auto last = owners.back();
    owners.pop_back();
    return name + " is an option of " + (owners.empty() ? "" : join(owners, ", ") + " and ") +
           last + ", not of " + here + ".";
  }
  if (auto meant = nearest_word(name, option_names(chain))) {
    return "unknown option " + name + " for " + here + " — did you mean " + *meant + "?";
  }
  return std::nullopt;
}

// `wharf run sh -c …`: the option is the task's, and wharf took it for its own.
std::string option_of_the_task(const CLI::App& command, const std::string& name) {
  const auto path = command_path(command);
  return name + " is not an option of `" + path + "`; if it belongs to the command, put the " +
         "command after `--`: " + path + " [OPTIONS] -- CMD ARG….";
}

std::string unknown_command(CLI::App& parent, const std::string& word) {
  const auto commands = names_of(visible_subcommands(parent));
  const auto prefix = words_below_root(parent);
  const auto quoted = [&](const std::string& name) {
    return "'" + (prefix.empty() ? name : prefix + " " + name) + "'";
  };
  if (auto meant = nearest_word(word, commands)) {
    return "unknown command " + quoted(word) + " — did you mean " + quoted(*meant) + "?";
  }
  return "unknown command " + quoted(word) + " — the commands of `" + command_path(parent) +
         "` are " + join(commands, ", ") + ".";
}

// `wharf status --version`: wharf's own version flag, given with a command that has no
// --version of its own.
std::string version_with_a_command(const CLI::App& command) {
  return "`" + command_path(command) +
         "` has no --version option — wharf's own version is `wharf --version`, without a "
         "command.";
}

}  // namespace

std::optional<std::string> explain_usage_error(CLI::App& app,
                                               const std::vector<std::string>& args) {
  std::vector<CLI::App*> chain{&app};
  bool options_ended = false;
  bool command_started = false;  // A command line to run (`wharf run CMD …`) has begun.
  bool version_flag = false;     // wharf's own --version, which answers only without a command.
  for (std::size_t index = 0; index < args.size(); ++index) {
    const auto& arg = args[index];
    if (!options_ended && arg == "--") {
      options_ended = true;
      continue;
    }
    if (!options_ended && arg.size() > 1 && arg.starts_with('-')) {
      const auto name = option_name(arg);
      if (const auto* option = find_option(chain, name)) {
        if (option == app.get_version_ptr()) {
          if (chain.size() > 1) {
            return version_with_a_command(*chain.back());
          }
          version_flag = true;
        }
        if (value_follows(*option, arg)) {
          if (index + 1 == args.size()) {
            return std::nullopt;  // Its value is missing: CLI11 says so.
          }
          ++index;
        }
        continue;
      }
      if (command_started) {
        return option_of_the_task(*chain.back(), name);
      }
      return unknown_option(app, chain, name);
    }
    auto& command = *chain.back();
    auto subcommands = visible_subcommands(command);
    const auto sub = std::find_if(subcommands.begin(), subcommands.end(),
                                  [&](CLI::App* candidate) { return candidate->check_name(arg); });
    if (!options_ended && sub != subcommands.end()) {
      chain.push_back(*sub);
      continue;
    }
    if (takes_positionals(command) || subcommands.empty()) {
      // An argument of the command, or one too many: CLI11 says which.
      command_started = command.get_option_no_throw("command") != nullptr;
      continue;
    }
    return unknown_command(command, arg);
  }
  auto& last = *chain.back();
  if (version_flag && chain.size() > 1) {
    return version_with_a_command(last);
  }
  if (last.get_require_subcommand_min() > 0) {
    return "`" + command_path(last) +
           "` needs a command: " + join(names_of(visible_subcommands(last)), ", ") + " — see `" +
           command_path(last) + " --help`.";
  }
  return std::nullopt;
}

}  // namespace wharf::cli
