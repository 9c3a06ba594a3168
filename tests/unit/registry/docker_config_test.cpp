#include "wharf/registry/docker_config.hpp"

#include <cstdlib>

#include <gmock/gmock.h>

#include "support/peers.hpp"

namespace wharf::registry {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path kFile = "/home/ci/.docker/config.json";

TEST(DockerConfig, DecodesAuthIntoUserAndPassword) {
  // "ci:pa:ss" — the password may itself contain colons.
  auto config =
      DockerConfig::parse(R"({"auths": {"127.0.0.1:5000": {"auth": "Y2k6cGE6c3M="}}})", kFile);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const auto* found = config->find_auth("127.0.0.1:5000");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->username, "ci");
  EXPECT_EQ(found->password, "pa:ss");
  EXPECT_EQ(found->identity_token, "");
}

TEST(DockerConfig, ReadsUsernamePasswordAndIdentityTokenFields) {
  auto config = DockerConfig::parse(R"({"auths": {
      "a.example": {"username": "u", "password": "p"},
      "b.example": {"identitytoken": "refresh-me", "email": "x@y"},
      "c.example": {}}})",
                                    kFile);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->find_auth("a.example")->username, "u");
  EXPECT_EQ(config->find_auth("a.example")->password, "p");
  EXPECT_EQ(config->find_auth("b.example")->identity_token, "refresh-me");
  EXPECT_TRUE(config->find_auth("c.example")->empty());
  EXPECT_EQ(config->find_auth("d.example"), nullptr);
}

TEST(DockerConfig, MatchesKeysWrittenAsUrlsLikeTheDockerCli) {
  auto config = DockerConfig::parse(R"({"auths": {
      "https://index.docker.io/v1/": {"auth": "aHViOmh1Yg=="},
      "https://reg.example:5000/v2/": {"auth": "cmVnOnJlZw=="}}})",
                                    kFile);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  ASSERT_NE(config->find_auth("https://index.docker.io/v1/"), nullptr);
  EXPECT_EQ(config->find_auth("https://index.docker.io/v1/")->username, "hub");
  ASSERT_NE(config->find_auth("reg.example:5000"), nullptr);
  EXPECT_EQ(config->find_auth("reg.example:5000")->username, "reg");
  EXPECT_EQ(config->find_auth("reg.example:5001"), nullptr);
  EXPECT_EQ(hostname_of_config_key("https://index.docker.io/v1/"), "index.docker.io");
  EXPECT_EQ(hostname_of_config_key("127.0.0.1:5000"), "127.0.0.1:5000");
}

TEST(DockerConfig, CredHelpersWinOverCredsStore) {
  auto config = DockerConfig::parse(R"({"credsStore": "desktop",
      "credHelpers": {"123.dkr.ecr.example": "ecr-login"},
      "auths": {"123.dkr.ecr.example": {}}})",
                                    kFile);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->helper_for("123.dkr.ecr.example"),
            std::make_pair(CredentialSource::Kind::cred_helper, std::string("ecr-login")));
  EXPECT_EQ(config->helper_for("other.example"),
            std::make_pair(CredentialSource::Kind::creds_store, std::string("desktop")));

  auto plain = DockerConfig::parse(R"({"auths": {}})", kFile);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->helper_for("x").first, CredentialSource::Kind::none);
}

TEST(DockerConfig, IgnoresUnrelatedFieldsAndNulls) {
  auto config = DockerConfig::parse(
      R"({"auths": null, "credHelpers": null, "psFormat": "table", "proxies": {}})", kFile);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_TRUE(config->auths.empty());
  EXPECT_TRUE(config->cred_helpers.empty());
  EXPECT_EQ(config->creds_store, "");
}

TEST(DockerConfig, InvalidJsonNamesFileLineAndColumnButNeverTheText) {
  auto config = DockerConfig::parse("{\n  \"auths\": {\n    \"r\": {\"auth\": \"c2VjcmV0\n", kFile);
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(config.error().message, HasSubstr("/home/ci/.docker/config.json:3:"));
  EXPECT_THAT(config.error().message, HasSubstr("not valid JSON"));
  EXPECT_THAT(config.error().message, Not(HasSubstr("c2VjcmV0")));
}

TEST(DockerConfig, BadAuthNamesTheEntryButNotTheValue) {
  auto config = DockerConfig::parse(R"({"auths": {"reg:5000": {"auth": "bm9jb2xvbg=="}}})", kFile);
  ASSERT_FALSE(config.has_value());
  EXPECT_THAT(config.error().message, HasSubstr("\"auths\" entry \"reg:5000\""));
  EXPECT_THAT(config.error().message, HasSubstr("docker login reg:5000"));
  EXPECT_THAT(config.error().message, Not(HasSubstr("bm9jb2xvbg")));
  EXPECT_THAT(config.error().message, Not(HasSubstr("nocolon")));

  auto not_base64 = DockerConfig::parse(R"({"auths": {"r": {"auth": "!!!"}}})", kFile);
  ASSERT_FALSE(not_base64.has_value());
  EXPECT_THAT(not_base64.error().message, Not(HasSubstr("!!!")));
}

TEST(DockerConfig, WrongTypesAreNamed) {
  for (const auto& [text, field] : std::vector<std::pair<std::string, std::string>>{
           {"[]", "the document"},
           {R"({"auths": []})", "\"auths\""},
           {R"({"auths": {"r": "x"}})", "\"auths\" entry \"r\""},
           {R"({"auths": {"r": {"username": 5}}})", "field \"username\""},
           {R"({"credsStore": 1})", "\"credsStore\""},
           {R"({"credHelpers": {"r": true}})", "\"credHelpers\" entry \"r\""}}) {
    auto config = DockerConfig::parse(text, kFile);
    ASSERT_FALSE(config.has_value()) << text;
    EXPECT_THAT(config.error().message, HasSubstr(field)) << text;
  }
}

TEST(DockerConfig, LoadTreatsAMissingFileAsEmptyAndReadsAPresentOne) {
  test::TempDir dir;
  auto missing = DockerConfig::load(dir.path());
  ASSERT_TRUE(missing.has_value()) << missing.error().message;
  EXPECT_TRUE(missing->auths.empty());
  EXPECT_EQ(missing->file, dir.path() / "config.json");

  test::write_file(dir.path() / "config.json", R"({"auths":{"r":{"auth":"dTpw"}}})");
  auto present = DockerConfig::load(dir.path());
  ASSERT_TRUE(present.has_value()) << present.error().message;
  EXPECT_EQ(present->find_auth("r")->username, "u");
}

TEST(DockerConfig, DirectoryComesFromDockerConfigElseHome) {
  const char* saved = std::getenv("DOCKER_CONFIG");
  const std::string restore = saved != nullptr ? saved : "";
  const std::string home = std::getenv("HOME") != nullptr ? std::getenv("HOME") : "";
  ::setenv("DOCKER_CONFIG", "/tmp/elsewhere", 1);
  EXPECT_EQ(docker_config_directory(), "/tmp/elsewhere");
  ::setenv("DOCKER_CONFIG", "", 1);
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(docker_config_directory(), "/home/someone/.docker");
  ::setenv("HOME", home.c_str(), 1);
  if (saved != nullptr) {
    ::setenv("DOCKER_CONFIG", restore.c_str(), 1);
  } else {
    ::unsetenv("DOCKER_CONFIG");
  }
}

}  // namespace
}  // namespace wharf::registry
