// load_ssh_config(): reading the file from disk and following Include lines.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wharf/ssh/resolve_target.hpp"
#include "wharf/ssh/ssh_config.hpp"

#include "support/peers.hpp"

namespace wharf::ssh {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class LoadSshConfig : public ::testing::Test {
 protected:
  LoadSshConfig() { fs::create_directories(ssh_dir()); }

  fs::path ssh_dir() const { return home_.path() / ".ssh"; }
  SshDefaults defaults() const { return SshDefaults{"me", home_.path()}; }

  void write(const fs::path& relative, const std::string& text) const {
    fs::create_directories((ssh_dir() / relative).parent_path());
    test::write_file(ssh_dir() / relative, text);
  }

  SshTarget resolve(std::string_view alias) const {
    auto config = load_ssh_config(ssh_dir() / "config", defaults());
    EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().message);
    auto target = resolve_ssh_target(config.value_or(SshConfig{}), alias, {}, defaults());
    EXPECT_TRUE(target.has_value()) << (target ? "" : target.error().message);
    return target.value_or(SshTarget{});
  }

  std::string load_error() const {
    auto config = load_ssh_config(ssh_dir() / "config", defaults());
    EXPECT_FALSE(config.has_value());
    return config ? std::string{} : config.error().message;
  }

  test::TempDir home_;
};

TEST_F(LoadSshConfig, AMissingFileIsAnEmptyConfig) {
  auto config = load_ssh_config(ssh_dir() / "config", defaults());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_TRUE(config->settings.empty());
  EXPECT_EQ(resolve("web").port, 22);
}

TEST_F(LoadSshConfig, AFileThatCannotBeReadIsAnError) {
  fs::create_directories(ssh_dir() / "config");  // exists, but is no file (root reads all files)
  const auto config = load_ssh_config(ssh_dir() / "config", defaults());
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().kind, ErrorKind::io);
  EXPECT_THAT(config.error().message, HasSubstr("cannot read the ssh config: cannot read"));
  EXPECT_THAT(config.error().message, HasSubstr((ssh_dir() / "config").string()));
}

TEST_F(LoadSshConfig, ParseErrorsNameTheFile) {
  write("config", "Host web\n  Port 99999\n");
  EXPECT_THAT(load_error(), HasSubstr((ssh_dir() / "config").string() + ":2: Port \"99999\""));
}

TEST_F(LoadSshConfig, IncludeIsRelativeToDotSshAndGlobbedInSortedOrder) {
  write("config", "Include config.d/*.conf\nHost *\n  Port 1\n");
  write("config.d/20-second.conf", "Host web\n  User second\n  IdentityFile /k/2\n");
  write("config.d/10-first.conf", "Host web\n  IdentityFile /k/1\n");
  write("config.d/ignored.txt", "Port 99999\n");
  fs::create_directories(ssh_dir() / "config.d" / "sub.conf");  // a folder matching the glob
  const auto target = resolve("web");
  EXPECT_EQ(target.user, "second");
  EXPECT_EQ(target.port, 1);
  EXPECT_EQ(target.identity_files, (std::vector<fs::path>{"/k/1", "/k/2"}));
}

TEST_F(LoadSshConfig, IncludedValuesCountWhereTheIncludeLineStands) {
  write("config", "Port 1\nInclude ~/.ssh/extra\nUser late\n");
  write("extra", "Port 2\nUser early\n");
  const auto target = resolve("web");
  EXPECT_EQ(target.port, 1);
  EXPECT_EQ(target.user, "early");
}

TEST_F(LoadSshConfig, IncludeInsideAHostBlockAppliesOnlyToThatHost) {
  write("config",
        "Host web\n  Include inner\n  ConnectTimeout 3\nHost *\n  Port 5\n  User outer\n");
  // The included file's own Host lines select within the including block, and after the
  // Include the including block is in force again (ConnectTimeout 3 applies).
  write("inner", "Port 100\nHost other\n  User never\nHost web\n  User inner\n");
  const auto web = resolve("web");
  EXPECT_EQ(web.port, 100);
  EXPECT_EQ(web.user, "inner");
  EXPECT_EQ(web.connect_timeout, std::chrono::seconds(3));
  const auto other = resolve("other");
  EXPECT_EQ(other.port, 5);
  EXPECT_EQ(other.user, "outer");
}

TEST_F(LoadSshConfig, IncludesNestAndMissingOnesAreFine) {
  write("config", "Include missing-file nothing-*.conf a\n");
  write("a", "Include \"" + (ssh_dir() / "b").string() + "\"\n");
  write("b", "User nested\n");
  EXPECT_EQ(resolve("web").user, "nested");
}

TEST_F(LoadSshConfig, ErrorsInsideAnIncludedFileNameThatFile) {
  write("config", "Include bad\n");
  write("bad", "\nIdentitiesOnly maybe\n");
  EXPECT_THAT(load_error(), HasSubstr((ssh_dir() / "bad").string() + ":2: IdentitiesOnly"));
}

TEST_F(LoadSshConfig, AnIncludeLoopIsStopped) {
  write("config", "Include config\n");
  EXPECT_THAT(load_error(), HasSubstr(":1: Include nests more than 16 files deep — check for a "
                                      "file that includes itself."));
}

TEST_F(LoadSshConfig, ParseAloneDoesNotFollowIncludes) {
  write("extra", "User included\n");
  auto config = parse_ssh_config("Include extra\n", "text");
  ASSERT_TRUE(config.has_value());
  ASSERT_EQ(config->settings.size(), 1U);
  EXPECT_EQ(config->settings[0].keyword, SshKeyword::include);
  auto target = resolve_ssh_target(*config, "web", {}, defaults());
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->user, "me");
}

}  // namespace
}  // namespace wharf::ssh
