// load_ssh_config(): the part of the ssh_config reader that touches the disk — reading the
// file and following its Include lines. Declared in ssh_config.hpp.

#include <cerrno>
#include <cstring>
#include <memory>

#include <glob.h>

#include "wharf/ssh/path_expansion.hpp"
#include "wharf/ssh/ssh_config.hpp"
#include "wharf/util/atomic_file.hpp"

namespace wharf::ssh {
namespace {

struct GlobDeleter {
  void operator()(glob_t* matches) const noexcept {
    ::globfree(matches);
    delete matches;
  }
};

std::unexpected<Error> include_error(const SourceLocation& where, const std::string& what,
                                     std::string_view todo) {
  return fail(ErrorKind::invalid_input,
              where.to_string() + ": Include " + what + " — " + std::string(todo) + ".");
}

// The files one Include argument names: `~` expanded, relative to ~/.ssh, globbed and sorted.
Result<std::vector<std::string>> include_files(const std::string& argument,
                                               const SourceLocation& where,
                                               const SshDefaults& defaults) {
  auto pattern = expand_tilde(argument, defaults.home);
  if (!pattern) {
    return include_error(where, "\"" + argument + "\": " + pattern.error(), "fix the path");
  }
  if (!pattern->starts_with('/')) {
    if (defaults.home.empty()) {
      return include_error(where,
                           "\"" + argument +
                               "\" is relative to ~/.ssh but the home "
                               "directory is unknown",
                           "set HOME or write the full path");
    }
    *pattern = (defaults.home / ".ssh" / *pattern).string();
  }
  std::unique_ptr<glob_t, GlobDeleter> matches(new glob_t{});
  const int status = ::glob(pattern->c_str(), 0, nullptr, matches.get());
  if (status == GLOB_NOMATCH) {
    return std::vector<std::string>{};  // ssh, too, quietly includes nothing.
  }
  if (status != 0) {
    return fail(ErrorKind::io, where.to_string() + ": Include \"" + argument +
                                   "\" could not be expanded (glob failed with code " +
                                   std::to_string(status) + ") — check the pattern.");
  }
  return std::vector<std::string>(matches->gl_pathv, matches->gl_pathv + matches->gl_pathc);
}

Result<SshConfig> load_file(const std::filesystem::path& file, const SshDefaults& defaults,
                            int depth);

// Appends `included` (one included file) to `into`; its top-level blocks become children of
// `parent`, the block that held the Include line.
void splice(SshConfig& into, SshConfig included, std::size_t parent) {
  const auto offset = into.blocks.size();
  for (auto& block : included.blocks) {
    block.parent = block.parent ? *block.parent + offset : parent;
    into.blocks.push_back(std::move(block));
  }
  for (auto& setting : included.settings) {
    setting.block += offset;
    into.settings.push_back(std::move(setting));
  }
  into.notes.insert(into.notes.end(), std::make_move_iterator(included.notes.begin()),
                    std::make_move_iterator(included.notes.end()));
}

// Replaces every Include setting of `parsed` by the files it names, in place.
Result<SshConfig> follow_includes(SshConfig parsed, const SshDefaults& defaults, int depth) {
  SshConfig result;
  result.blocks = std::move(parsed.blocks);
  result.notes = std::move(parsed.notes);
  for (auto& setting : parsed.settings) {
    if (setting.keyword != SshKeyword::include) {
      result.settings.push_back(std::move(setting));
      continue;
    }
    if (depth >= kMaxIncludeDepth) {
      return include_error(setting.where,
                           "nests more than " + std::to_string(kMaxIncludeDepth) + " files deep",
                           "check for a file that includes itself");
    }
    for (const auto& argument : std::get<std::vector<std::string>>(setting.value)) {
      auto files = include_files(argument, setting.where, defaults);
      if (!files) {
        return std::unexpected(std::move(files.error()));
      }
      for (const auto& file : *files) {
        std::error_code ignored;
        if (std::filesystem::is_directory(file, ignored)) {
          continue;  // A glob such as config.d/* may match a folder; ssh reads nothing from it.
        }
        auto included = load_file(file, defaults, depth + 1);
        if (!included) {
          return std::unexpected(std::move(included.error()));
        }
        splice(result, std::move(*included), setting.block);
      }
    }
  }
  return result;
}

Result<SshConfig> load_file(const std::filesystem::path& file, const SshDefaults& defaults,
                            int depth) {
  auto text = read_text_file(file);
  if (!text) {
    if (text.error().kind == ErrorKind::not_found) {
      return SshConfig{};
    }
    return std::unexpected(
        Error::make(text.error().kind, "cannot read the ssh config: " + text.error().message));
  }
  auto parsed = parse_ssh_config(*text, file.string());
  if (!parsed) {
    return parsed;
  }
  return follow_includes(std::move(*parsed), defaults, depth);
}

}  // namespace

Result<SshConfig> load_ssh_config(const std::filesystem::path& file, const SshDefaults& defaults) {
  return load_file(file, defaults, 0);
}

}  // namespace wharf::ssh
