#include "wharf/git/run_git.hpp"

#include <sstream>

#include "wharf/util/process.hpp"

namespace wharf::git {

Result<std::string> run_git(const std::filesystem::path& directory,
                            std::vector<std::string> arguments) {
  ProcessSpec spec;
  spec.argv = {"git", "-C", directory.string()};
  spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
  // A user's locale or pager must never change what we parse.
  spec.environment = {{"LC_ALL", "C"}, {"GIT_PAGER", "cat"}, {"GIT_TERMINAL_PROMPT", "0"}};
  spec.timeout = std::chrono::seconds(30);
  auto result = run_process(spec);
  if (!result) {
    if (result.error().kind == ErrorKind::not_found) {
      return fail(ErrorKind::not_found, "git is not installed — install it (apt-get install git)");
    }
    return std::unexpected(result.error());
  }
  if (result->exit_code != 0) {
    const auto& err = result->standard_error;
    if (err.find("not a git repository") != std::string::npos) {
      return fail(ErrorKind::not_found,
                  directory.string() +
                      " is not inside a git repository — run wharf in your project's checkout or "
                      "pass --root");
    }
    auto first_line = err.substr(0, err.find('\n'));
    return fail(ErrorKind::io, "git " + arguments.front() + " failed in " + directory.string() +
                                   ": " + first_line);
  }
  return std::move(result->standard_output);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

}  // namespace wharf::git
