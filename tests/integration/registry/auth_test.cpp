// Logging in: the htpasswd registry (Basic) with credentials from config.json auths and from
// a credential helper, clear refusals naming the source tried, the bearer-token flow against
// a scripted token service, and no secret in any log line.

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

#include <gmock/gmock.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "wharf/core/encoding.hpp"
#include "wharf/registry/manifest.hpp"

#include "integration/registry/registry_fixture.hpp"
#include "integration/registry/test_http_server.hpp"

namespace wharf::registry::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AuthTest : public RegistryTest {
 protected:
  void write_config(const std::string& json) {
    wharf::test::write_file(config_dir_.path() / "config.json", json);
  }

  [[nodiscard]] std::string auths_for(const std::string& user, const std::string& password) const {
    return R"({"auths":{")" + auth_registry_ + R"(":{"auth":")" +
           base64_encode(user + ":" + password) + R"("}}})";
  }

  [[nodiscard]] std::string open_registry_digest() {
    auto open = make_client().resolve_digest(ref(worker_repo_ + ":1.1.0"));
    EXPECT_TRUE(open.has_value()) << open.error().message;
    return open ? open->digest : "";
  }

  /// Puts docker-credential-wharftest on PATH for this test. It records the server URL it
  /// was asked about in `asked`, then answers with `answer` (or fails with `exit_code`).
  void install_helper(const std::string& answer, int exit_code = 0) {
    const auto bin = helper_dir_.path() / "bin";
    std::filesystem::create_directories(bin);
    const auto script = bin / "docker-credential-wharftest";
    wharf::test::write_file(script, "#!/bin/sh\n[ \"$1\" = get ] || exit 9\ncat > '" +
                                        (helper_dir_.path() / "asked").string() +
                                        "'\nprintf '%s' '" + answer + "'\nexit " +
                                        std::to_string(exit_code) + "\n");
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    saved_path_ = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    ::setenv("PATH", (bin.string() + ":" + *saved_path_).c_str(), 1);
  }

  void TearDown() override {
    if (saved_path_) {
      ::setenv("PATH", saved_path_->c_str(), 1);
    }
  }

  [[nodiscard]] std::string asked() const {
    return wharf::test::read_file(helper_dir_.path() / "asked");
  }

  wharf::test::TempDir helper_dir_;
  std::optional<std::string> saved_path_;
};

TEST_F(AuthTest, HtpasswdRegistryWorksWithConfigJsonAuths) {
  write_config(auths_for(user_, password_));
  auto client = make_client();
  auto resolved = client.resolve_digest(ref(auth_registry_ + "/wharf/worker:1.1.0"));
  ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
  // The same image was pushed to both registries.
  EXPECT_EQ(resolved->digest, open_registry_digest());
  // Once the registry said "Basic", later requests send credentials up front.
  auto again = client.resolve_digest(ref(auth_registry_ + "/wharf/worker:1.0.0"));
  ASSERT_TRUE(again.has_value()) << again.error().message;
}

TEST_F(AuthTest, HtpasswdRegistryWithoutCredentialsSaysNoneWereFound) {
  auto refused = make_client().resolve_digest(ref(auth_registry_ + "/wharf/worker:1.1.0"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::permission);
  EXPECT_EQ(refused.error().http_status, 401);
  EXPECT_THAT(refused.error().message,
              HasSubstr(auth_registry_ + "/wharf/worker:1.1.0: the registry " + auth_registry_ +
                        " refused access (HTTP 401) with no credentials (nothing for it in " +
                        (config_dir_.path() / "config.json").string() + ")"));
  EXPECT_THAT(refused.error().message, HasSubstr("`docker login " + auth_registry_ + "`"));
}

TEST_F(AuthTest, AWrongPasswordNamesTheConfigJsonAuthsItCameFrom) {
  write_config(auths_for(user_, "not-the-password"));
  auto refused = make_client().resolve_digest(ref(auth_registry_ + "/wharf/worker:1.1.0"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::permission);
  EXPECT_THAT(refused.error().message,
              HasSubstr("refused access (HTTP 401) with the credentials in " +
                        (config_dir_.path() / "config.json").string() + " \"auths\""));
  EXPECT_THAT(refused.error().message, Not(HasSubstr("not-the-password")));
}

TEST_F(AuthTest, ACredHelperOnPathIsAskedForTheRegistry) {
  install_helper(R"({"ServerURL":")" + auth_registry_ + R"(","Username":")" + user_ +
                 R"(","Secret":")" + password_ + R"("})");
  // auths holds a wrong password: a helper that applies wins, as in the docker CLI.
  write_config(R"({"credHelpers":{")" + auth_registry_ + R"(":"wharftest"},"auths":{")" +
               auth_registry_ + R"(":{"auth":")" + base64_encode(user_ + ":wrong") + R"("}}})");
  auto resolved = make_client().resolve_digest(ref(auth_registry_ + "/wharf/worker:1.1.0"));
  ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
  EXPECT_EQ(asked(), auth_registry_);
  EXPECT_EQ(resolved->digest, open_registry_digest());
}

TEST_F(AuthTest, ACredsStoreWithoutALoginIsNamedInTheRefusal) {
  install_helper("credentials not found in native keychain", 1);
  write_config(R"({"credsStore":"wharftest"})");
  auto refused = make_client().resolve_digest(ref(auth_registry_ + "/wharf/worker:1.1.0"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(asked(), auth_registry_);
  EXPECT_THAT(refused.error().message,
              HasSubstr("with no credentials (the credsStore \"wharftest\" "
                        "(docker-credential-wharftest) has none for it)"));
}

TEST_F(AuthTest, AMissingHelperProgramIsNamed) {
  write_config(R"({"credHelpers":{")" + auth_registry_ + R"(":"wharf-absent"}})");
  auto failed = make_client().resolve_digest(ref(auth_registry_ + "/wharf/worker:1.1.0"));
  ASSERT_FALSE(failed.has_value());
  EXPECT_THAT(failed.error().message, HasSubstr("docker-credential-wharf-absent"));
  EXPECT_THAT(failed.error().message, HasSubstr(auth_registry_ + "/wharf/worker:1.1.0: "));
}

// A registry with a token service, as Docker Hub, GHCR and most hosted registries work: the
// registry answers 401 with a Bearer challenge; the token service hands out a token for the
// scope (only with the right Basic credentials when `require_login`).
class TokenRegistry {
 public:
  explicit TokenRegistry(bool require_login, std::string basic = "")
      : require_login_(require_login),
        basic_(std::move(basic)),
        server_([this](const ReceivedRequest& request) { return answer(request); }) {}

  [[nodiscard]] std::string domain() const { return server_.domain(); }
  [[nodiscard]] std::vector<ReceivedRequest> requests() const { return server_.requests(); }
  [[nodiscard]] int tokens_issued() const { return tokens_issued_; }

 private:
  ScriptedResponse answer(const ReceivedRequest& request) {
    const std::string realm = "http://" + server_.domain() + "/token";
    if (request.target.starts_with("/token?")) {
      if (require_login_ && request.header("Authorization") != "Basic " + basic_) {
        return ScriptedResponse{401, {}, R"({"details":"incorrect username or password"})"};
      }
      const auto scope = request.target.substr(request.target.find("scope=") + 6);
      ++tokens_issued_;
      return ScriptedResponse{
          200, {}, R"({"token":"token-for-)" + scope + R"(","expires_in":300})"};
    }
    // /v2/<repo>/manifests/<tag>: the token must be for this repository's pull scope.
    const auto repo = request.target.substr(4, request.target.find("/manifests/") - 4);
    const auto wanted = "Bearer token-for-repository%3A" +
                        std::regex_replace(repo, std::regex("/"), "%2F") + "%3Apull";
    if (request.header("Authorization") != wanted) {
      return ScriptedResponse{
          401,
          {{"WWW-Authenticate", "Bearer realm=\"" + realm +
                                    "\",service=\"wharf-test\",scope=\"repository:" + repo +
                                    ":pull\""}},
          R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})"};
    }
    return ScriptedResponse{200,
                            {{"Docker-Content-Digest", "sha256:" + std::string(64, 'd')},
                             {"Content-Type", std::string(kDockerManifest)}},
                            ""};
  }

  bool require_login_;
  std::string basic_;
  int tokens_issued_ = 0;
  TestHttpServer server_;
};

TEST_F(AuthTest, AnonymousBearerTokensArePerRepositoryAndReused) {
  TokenRegistry registry(/*require_login=*/false);
  auto client = make_client();
  const std::vector<ImageReference> images{ref(registry.domain() + "/team/app:1"),
                                           ref(registry.domain() + "/team/app:2"),
                                           ref(registry.domain() + "/team/other:1")};
  for (const auto& result : client.resolve_digests(images)) {
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->digest, "sha256:" + std::string(64, 'd'));
  }
  // Known afterwards: a token per repository, asked for up front.
  auto later = client.resolve_digest(ref(registry.domain() + "/team/app:3"));
  ASSERT_TRUE(later.has_value()) << later.error().message;
  const auto requests = registry.requests();
  int token_requests = 0;
  for (const auto& request : requests) {
    if (request.target.starts_with("/token?")) {
      ++token_requests;
      EXPECT_THAT(request.target, HasSubstr("service=wharf-test&scope=repository%3Ateam%2F"));
      EXPECT_EQ(request.header("Authorization"), std::nullopt);
    }
  }
  // The three parallel checks were each refused once and asked for a token (two for
  // team/app, racing); the fourth reused the token of team/app.
  EXPECT_EQ(token_requests, 3);
  EXPECT_EQ(requests.back().target, "/v2/team/app/manifests/3");
  EXPECT_EQ(requests.back().header("Authorization"),
            "Bearer token-for-repository%3Ateam%2Fapp%3Apull");
}

TEST_F(AuthTest, BearerTokenWithCredentialsAndNoSecretInAnyLogLine) {
  const std::string secret = "p4ss-" + std::to_string(::getpid());
  const auto basic = base64_encode("ci:" + secret);
  TokenRegistry registry(/*require_login=*/true, basic);

  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);

  write_config(R"({"auths":{")" + registry.domain() + R"(":{"auth":")" + basic + R"("}}})");
  auto resolved = make_client().resolve_digest(ref(registry.domain() + "/team/app:1"));
  write_config(R"({"auths":{")" + registry.domain() + R"(":{"auth":")" + base64_encode("ci:wrong") +
               R"("}}})");
  auto refused = make_client().resolve_digest(ref(registry.domain() + "/team/app:1"));
  spdlog::set_default_logger(previous);

  ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::permission);
  EXPECT_THAT(refused.error().message, HasSubstr("with the credentials in"));
  EXPECT_THAT(captured.str(), HasSubstr("/token?service=wharf-test"))  // Debug lines exist…
      << captured.str();
  for (const auto& needle : {secret, basic, std::string("token-for-")}) {  // …without secrets.
    EXPECT_THAT(captured.str(), Not(HasSubstr(needle)));
    EXPECT_THAT(refused.error().message, Not(HasSubstr(needle)));
  }
}

}  // namespace
}  // namespace wharf::registry::test
