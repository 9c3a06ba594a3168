#include "wharf/runtime/source_checkout.hpp"

#include <chrono>

#include "wharf/core/strings.hpp"

namespace wharf::runtime {
namespace {

constexpr std::chrono::seconds kGitTimeout{30};

// git's stdout when it exits 0, else nullopt.
std::optional<std::string> git(const SystemProbe& probe, const std::filesystem::path& directory,
                               std::vector<std::string> arguments) {
  std::vector<std::string> argv{"git", "-C", directory.string()};
  argv.insert(argv.end(), std::make_move_iterator(arguments.begin()),
              std::make_move_iterator(arguments.end()));
  auto result = probe.run(ProcessSpec{
      .argv = std::move(argv),
      .environment = {{"LC_ALL", "C"}, {"GIT_TERMINAL_PROMPT", "0"}, {"GIT_PAGER", "cat"}},
      .timeout = kGitTimeout});
  if (!result || result->exit_code != 0) {
    return std::nullopt;
  }
  return std::move(result->standard_output);
}

std::string first_line(const std::string& text) {
  return std::string(trim(text.substr(0, text.find('\n'))));
}

}  // namespace

std::optional<SourceCheckout> detect_source_checkout(const std::filesystem::path& directory,
                                                     const SystemProbe& probe) {
  const auto toplevel = git(probe, directory, {"rev-parse", "--show-toplevel"});
  if (!toplevel || first_line(*toplevel).empty()) {
    return std::nullopt;
  }
  SourceCheckout checkout{.toplevel = first_line(*toplevel)};
  if (const auto branch = git(probe, directory, {"symbolic-ref", "--quiet", "--short", "HEAD"})) {
    checkout.branch = first_line(*branch);
  }
  // A repository without commits has no HEAD to name; that is still a checkout.
  if (const auto commit =
          git(probe, directory, {"rev-parse", "--verify", "--quiet", "--short", "HEAD"})) {
    checkout.commit = first_line(*commit);
    if (const auto tags = git(probe, directory, {"tag", "--points-at", "HEAD"})) {
      for (const auto line : split(*tags, '\n')) {
        if (const auto tag = trim(line); !tag.empty()) {
          checkout.tags_at_head.emplace_back(tag);
        }
      }
    }
  }
  return checkout;
}

}  // namespace wharf::runtime
