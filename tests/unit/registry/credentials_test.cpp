#include <gmock/gmock.h>

#include "wharf/registry/auth_state.hpp"
#include "wharf/registry/credential_helper.hpp"

namespace wharf::registry {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class FakeHelper final : public CredentialHelper {
 public:
  MOCK_METHOD(Result<std::optional<Credentials>>, get,
              (const std::string& name, const std::string& server_url), (override));
};

DockerConfig config_of(const std::string& json) {
  auto config = DockerConfig::parse(json, "/cfg/config.json");
  EXPECT_TRUE(config.has_value()) << config.error().message;
  return config.value_or(DockerConfig{});
}

TEST(CredentialHelperAnswer, UsernameAndSecret) {
  auto answer = parse_credential_helper_answer(
      "wharftest", 0, R"({"ServerURL":"127.0.0.1:5000","Username":"ci","Secret":"pw"})", "");
  ASSERT_TRUE(answer.has_value()) << answer.error().message;
  ASSERT_TRUE(answer->has_value());
  EXPECT_EQ((*answer)->username, "ci");
  EXPECT_EQ((*answer)->password, "pw");
}

TEST(CredentialHelperAnswer, TokenUserMeansIdentityToken) {
  auto answer = parse_credential_helper_answer(
      "desktop", 0, R"({"ServerURL":"x","Username":"<token>","Secret":"refresh"})", "");
  ASSERT_TRUE(answer.has_value() && answer->has_value());
  EXPECT_EQ((*answer)->identity_token, "refresh");
  EXPECT_EQ((*answer)->username, "");
}

TEST(CredentialHelperAnswer, NotFoundIsNoCredentials) {
  auto answer = parse_credential_helper_answer("desktop", 1,
                                               "credentials not found in native keychain\n", "");
  ASSERT_TRUE(answer.has_value()) << answer.error().message;
  EXPECT_FALSE(answer->has_value());
}

TEST(CredentialHelperAnswer, FailuresNameTheProgramButNeverTheSecret) {
  auto failed = parse_credential_helper_answer("pass", 2, "", "gpg: decryption failed\nmore\n");
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().kind, ErrorKind::remote);
  EXPECT_THAT(failed.error().message,
              HasSubstr("docker-credential-pass failed (exit 2): gpg: decryption failed."));

  auto garbage =
      parse_credential_helper_answer("x", 0, R"({"Username":"u","Password":"hunter2"})", "");
  ASSERT_FALSE(garbage.has_value());
  EXPECT_THAT(garbage.error().message, HasSubstr("docker-credential-x answered"));
  EXPECT_THAT(garbage.error().message, Not(HasSubstr("hunter2")));
}

TEST(AuthState, AuthsEntryWhenNoHelperApplies) {
  auto helper = std::make_shared<FakeHelper>();
  EXPECT_CALL(*helper, get).Times(0);
  AuthState auth(config_of(R"({"auths":{"127.0.0.1:5000":{"auth":"Y2k6cHc="}}})"), helper);
  auto found = auth.credentials_for(registry_host("127.0.0.1:5000", {}));
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->credentials.has_value());
  EXPECT_EQ(found->credentials->username, "ci");
  EXPECT_EQ(found->source.kind, CredentialSource::Kind::config_auths);
  EXPECT_EQ(found->source.describe(), "the credentials in /cfg/config.json \"auths\"");

  auto none = auth.credentials_for(registry_host("127.0.0.1:6000", {}));
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->credentials.has_value());
  EXPECT_EQ(none->source.kind, CredentialSource::Kind::none);
  EXPECT_EQ(none->source.describe(), "no credentials (nothing for it in /cfg/config.json)");
}

TEST(AuthState, CredHelperIsAskedOnceWithTheConfigKey) {
  auto helper = std::make_shared<FakeHelper>();
  EXPECT_CALL(*helper, get("wharftest", "127.0.0.1:5000"))
      .Times(1)
      // A lambda, not Return(): GCC 12 at -O2 sees Return's stored std::expected copy as
      // possibly uninitialised (a false -Wmaybe-uninitialized).
      .WillOnce([] {
        return Result<std::optional<Credentials>>(Credentials{"h", "p", ""});
      });
  // auths is not read when a helper applies, as in the docker CLI.
  AuthState auth(config_of(R"({"credHelpers":{"127.0.0.1:5000":"wharftest"},
                               "auths":{"127.0.0.1:5000":{"auth":"Y2k6cHc="}}})"),
                 helper);
  for (int i = 0; i < 3; ++i) {
    auto found = auth.credentials_for(registry_host("127.0.0.1:5000", {}));
    ASSERT_TRUE(found.has_value()) << found.error().message;
    EXPECT_EQ(found->credentials->username, "h");
    EXPECT_EQ(found->source.kind, CredentialSource::Kind::cred_helper);
    EXPECT_EQ(found->source.describe(),
              "the credHelper \"wharftest\" (docker-credential-wharftest)");
  }
}

TEST(AuthState, CredsStoreForDockerHubUsesTheLegacyKey) {
  auto helper = std::make_shared<FakeHelper>();
  EXPECT_CALL(*helper, get("desktop", "https://index.docker.io/v1/")).WillOnce([] {
    return Result<std::optional<Credentials>>(std::nullopt);
  });
  AuthState auth(config_of(R"({"credsStore":"desktop"})"), helper);
  auto found = auth.credentials_for(registry_host("docker.io", {}));
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->credentials.has_value());
  EXPECT_EQ(found->source.kind, CredentialSource::Kind::creds_store);
  EXPECT_EQ(found->source.helper, "desktop");
}

TEST(AuthState, AHelperFailureIsCachedToo) {
  auto helper = std::make_shared<FakeHelper>();
  EXPECT_CALL(*helper, get).Times(1).WillOnce([] {
    return Result<std::optional<Credentials>>(
        std::unexpected(Error::make(ErrorKind::io, "cannot run docker-credential-gone")));
  });
  AuthState auth(config_of(R"({"credsStore":"gone"})"), helper);
  for (int i = 0; i < 2; ++i) {
    auto found = auth.credentials_for(registry_host("reg.example", {}));
    ASSERT_FALSE(found.has_value());
    EXPECT_THAT(found.error().message, HasSubstr("docker-credential-gone"));
  }
}

TEST(AuthState, TokensExpireAndChallengesAreRemembered) {
  AuthState auth(DockerConfig{}, std::make_shared<FakeHelper>());
  const auto now = std::chrono::steady_clock::now();
  auth.store_token("r", "repository:a:pull", "t", now + std::chrono::seconds(10));
  EXPECT_EQ(auth.token("r", "repository:a:pull", now), "t");
  EXPECT_EQ(auth.token("r", "repository:b:pull", now), std::nullopt);
  EXPECT_EQ(auth.token("r", "repository:a:pull", now + std::chrono::seconds(10)), std::nullopt);
  auth.forget_token("r", "repository:a:pull");
  EXPECT_EQ(auth.token("r", "repository:a:pull", now), std::nullopt);

  EXPECT_EQ(auth.known_challenge("r"), nullptr);
  auth.remember_challenge("r", AuthChallenge{"basic", {{"realm", "x"}}, ""});
  ASSERT_NE(auth.known_challenge("r"), nullptr);
  EXPECT_EQ(auth.known_challenge("r")->scheme, "basic");
}

TEST(ProcessCredentialHelper, RefusesNamesThatArePaths) {
  auto helper = make_process_credential_helper();
  auto answer = helper->get("../../bin/sh", "reg");
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().kind, ErrorKind::invalid_input);
}

}  // namespace
}  // namespace wharf::registry
