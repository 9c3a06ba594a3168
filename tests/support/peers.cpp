#include "support/peers.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "wharf/util/process.hpp"

#ifndef WHARF_BINARY
#define WHARF_BINARY "wharf"
#endif
#ifndef WHARF_BINARY_WITHOUT_TEST_HOOKS
#define WHARF_BINARY_WITHOUT_TEST_HOOKS "wharf_without_test_hooks"
#endif

namespace wharf::test {

std::string peer_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    ADD_FAILURE() << name
                  << " is not set: integration tests need the private peers that "
                     "tools/test.sh starts. Run the tests through tools/test.sh.";
    return {};
  }
  return value;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "wharf-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

CommandOutput run(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                  const std::map<std::string, std::string>& env, const std::string& input) {
  ProcessSpec spec;
  spec.argv = argv;
  if (!cwd.empty()) {
    spec.working_directory = cwd;
  }
  spec.environment = env;
  spec.standard_input = input;
  auto result = run_process(spec);
  if (!result) {
    ADD_FAILURE() << "cannot run " << argv.front() << ": " << result.error().message;
    return {};
  }
  return {result->exit_code, result->standard_output, result->standard_error};
}

CommandOutput run_wharf(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                        const std::map<std::string, std::string>& env, TestHooks hooks) {
  std::vector<std::string> argv{hooks == TestHooks::with ? WHARF_BINARY
                                                         : WHARF_BINARY_WITHOUT_TEST_HOOKS};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, cwd, env);
}

std::string git_in(const std::filesystem::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv{"git",
                                "-C",
                                dir.string(),
                                "-c",
                                "user.name=wharf test",
                                "-c",
                                "user.email=test@wharf.invalid"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto out = run(argv);
  EXPECT_EQ(out.exit_code, 0) << "git " << (args.empty() ? "" : args.front()) << ": " << out.err;
  return out.out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream input(text);
  for (std::string line; std::getline(input, line);) {
    if (!line.empty()) {
      lines.push_back(nlohmann::json::parse(line));
    }
  }
  return lines;
}

}  // namespace wharf::test
