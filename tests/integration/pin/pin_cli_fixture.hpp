// The fixture of the `wharf pin` and `wharf release tags` CLI tests: a fresh git repository with
// one commit and a docker/ folder, and the real wharf binary run in it.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/peers.hpp"

namespace wharf::test {

class PinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(root() / "docker");
    git({"init", "-q", "-b", "main"});
    git({"config", "user.email", "test@example.invalid"});
    git({"config", "user.name", "wharf test"});
    write_file(root() / "README", "x\n");
    git({"add", "README"});
    git({"commit", "-q", "-m", "first"});
  }

  [[nodiscard]] const std::filesystem::path& root() const { return dir_.path(); }

  void git(std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    const auto result = run(args, root());
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  CommandOutput wharf(std::vector<std::string> args) { return run_wharf(args, root()); }

  // Every bad-input case must leave both files byte-identical.
  void expect_untouched(const std::string& version, const std::string& env) {
    EXPECT_EQ(read_file(root() / "VERSION"), version);
    EXPECT_EQ(read_file(root() / "docker/.env"), env);
    // No temp file left behind next to either file.
    EXPECT_EQ(names_in(root()), (std::set<std::string>{".git", "README", "VERSION", "docker"}));
    EXPECT_EQ(names_in(root() / "docker"), (std::set<std::string>{".env"}));
  }

  static std::set<std::string> names_in(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

  TempDir dir_;
};

}  // namespace wharf::test
