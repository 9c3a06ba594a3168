#pragma once

// Shared helpers for tests. Integration tests find the private peers that tools/test.sh
// started through environment variables; a missing variable is a test *failure*, never a
// skip, so a peer that could not start can never turn into a green run.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wharf::test {

/// The value of a variable the harness exports (WHARF_TEST_*). Records a test failure and
/// returns "" when it is missing; callers should `ASSERT_FALSE(HasFailure())` after reading.
[[nodiscard]] std::string peer_env(const char* name);

/// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs a program (no shell) with extra environment, capturing everything.
[[nodiscard]] CommandOutput run(const std::vector<std::string>& argv,
                                const std::filesystem::path& cwd = {},
                                const std::map<std::string, std::string>& env = {},
                                const std::string& input = {});

/// Which wharf binary a test runs: the one built with the tests, whose failpoints
/// (wharf/util/failpoint.hpp) read the environment, or the same program relinked without test
/// hooks, as tools/install.sh and docker/Dockerfile build it.
enum class TestHooks { with, without };

/// Runs the wharf binary built alongside the tests.
[[nodiscard]] CommandOutput run_wharf(const std::vector<std::string>& args,
                                      const std::filesystem::path& cwd = {},
                                      const std::map<std::string, std::string>& env = {},
                                      TestHooks hooks = TestHooks::with);

/// `git -C dir args…` with a fixed committer identity, recording a test failure (with git's
/// stderr) when it exits non-zero; its stdout.
std::string git_in(const std::filesystem::path& dir, std::vector<std::string> args);

[[nodiscard]] std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

/// The JSON documents of a JSON-lines text (a results file), skipping empty lines.
[[nodiscard]] std::vector<nlohmann::json> json_lines(const std::string& text);

}  // namespace wharf::test
