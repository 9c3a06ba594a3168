// `wharf release tags` end to end: the real binary in real git repositories.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/pin/pin_cli_fixture.hpp"
#include "support/peers.hpp"

namespace wharf::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(PinTest, ReleaseTagsFollowSemverPrecedence) {
  git({"tag", "v1.9.0"});
  write_file(root() / "README", "y\n");
  git({"commit", "-qam", "second"});
  git({"tag", "v1.10.0"});
  git({"tag", "v2.0.0-rc.1"});
  git({"tag", "stable"});

  auto tags = wharf({"release", "tags"});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  // HEAD carries both v1.10.0 and v2.0.0-rc.1: the highest wins, and a pre-release only gets its
  // own tag.
  EXPECT_EQ(tags.out, "2.0.0-rc.1\n");

  tags = wharf({"release", "tags", "v1.10.0"});
  EXPECT_EQ(tags.out, "1.10.0\n1.10\n1\nlatest\n");
  tags = wharf({"release", "tags", "v1.9.1"});
  EXPECT_EQ(tags.out, "1.9.1\n1.9\n");

  const auto images = wharf({"release", "tags", "v1.10.0", "--image", "127.0.0.1:5000/acme/app"});
  EXPECT_EQ(images.out,
            "127.0.0.1:5000/acme/app:1.10.0\n127.0.0.1:5000/acme/app:1.10\n"
            "127.0.0.1:5000/acme/app:1\n127.0.0.1:5000/acme/app:latest\n");

  const auto json = wharf({"release", "tags", "v1.10.0", "--json"});
  const auto document = nlohmann::json::parse(json.out);
  EXPECT_EQ(document["tags"], nlohmann::json({"1.10.0", "1.10", "1", "latest"}));
}

// Without a release tag on HEAD the version comes from VERSION: release tags says so.
TEST_F(PinTest, ReleaseTagsSayWhereTheVersionCameFrom) {
  write_file(root() / "VERSION", "v1.3.0\n");
  auto tags = wharf({"release", "tags"});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  EXPECT_EQ(tags.out, "1.3.0\n1.3\n1\nlatest\n");
  EXPECT_THAT(tags.err, HasSubstr("v1.3.0 (from VERSION: HEAD has no release tag)"));

  git({"tag", "v1.3.0"});
  tags = wharf({"release", "tags"});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  EXPECT_THAT(tags.err, HasSubstr("v1.3.0 (from git tag)"));
}

TEST_F(PinTest, ReleaseTagsAppendToGithubOutput) {
  write_file(root() / "gh-output", "earlier=1\n");
  const auto result =
      run_wharf({"release", "tags", "v1.2.3", "--existing", "v1.2.2", "--github-output"}, root(),
                {{"GITHUB_OUTPUT", (root() / "gh-output").string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto written = read_file(root() / "gh-output");
  EXPECT_THAT(written, ::testing::StartsWith("earlier=1\nversion=1.2.3\ntags<<"));
  EXPECT_THAT(written, HasSubstr("\n1.2.3\n1.2\n1\nlatest\n"));

  const auto missing =
      run_wharf({"release", "tags", "v1.2.3", "--github-output"}, root(), {{"GITHUB_OUTPUT", ""}});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("GITHUB_OUTPUT"));
}

// `release tags --version X` is `release tags X`, as `pin --version X` gives pin its version:
// it is never wharf's own --version, which printed wharf's version and exited 0.
TEST_F(PinTest, ReleaseTagsTakeTheVersionAsAnOptionToo) {
  git({"tag", "v1.1.0"});
  const auto positional = wharf({"release", "tags", "v1.2.3"});
  ASSERT_EQ(positional.exit_code, 0) << positional.err;
  EXPECT_EQ(positional.out, "1.2.3\n1.2\n1\nlatest\n");
  for (const auto& args : {std::vector<std::string>{"release", "tags", "--version", "v1.2.3"},
                           std::vector<std::string>{"release", "tags", "--version=v1.2.3"}}) {
    SCOPED_TRACE(::testing::PrintToString(args));
    const auto option = wharf(args);
    ASSERT_EQ(option.exit_code, 0) << option.err;
    EXPECT_EQ(option.out, positional.out);
    EXPECT_THAT(option.err, HasSubstr("release v1.2.3 (from --version)"));
  }
  const auto both = wharf({"release", "tags", "v1.2.3", "--version", "v1.2.4"});
  EXPECT_EQ(both.exit_code, 2) << both.out << both.err;
  // pin's own --version is unchanged.
  write_file(root() / "docker/.env", "IMAGE_TAG=1.1.0\n");
  const auto pinned = wharf({"pin", "--version", "v1.2.3"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_EQ(read_file(root() / "VERSION"), "v1.2.3\n");
}

TEST_F(PinTest, ReleaseTagsRejectABadVersion) {
  const auto result = wharf({"release", "tags", "1.2"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("'1.2'"));
}

}  // namespace
}  // namespace wharf::test
