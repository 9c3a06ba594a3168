// Proves that every private peer tools/peers.sh starts is usable, talking to each one directly
// (libcurl, libssh2) rather than through wharf. When one of these fails, fix the harness
// before reading any other integration failure.

#include "support/peers.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_probe.hpp"
#include "ssh_probe.hpp"

namespace wharf::test {
namespace {

constexpr auto kTimeout = std::chrono::seconds(10);
constexpr const char* kManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";

// "unix:///tmp/x/docker.sock" -> "/tmp/x/docker.sock"
std::string socket_path(const std::string& docker_host) {
  const std::string scheme = "unix://";
  EXPECT_EQ(docker_host.rfind(scheme, 0), 0u) << docker_host << " is not a unix:// address";
  return docker_host.substr(std::min(scheme.size(), docker_host.size()));
}

Result<HttpProbeAnswer> engine_get(const std::string& docker_host, const std::string& path) {
  return http_probe({.url = "http://docker" + path, .unix_socket = socket_path(docker_host)});
}

// The "ID" of an Engine API /info body, or "" when the body is not the expected JSON object.
std::string id_in_info(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  return json.is_object() ? json.value("ID", std::string{}) : std::string{};
}

std::string engine_id(const std::string& docker_host) {
  auto info = engine_get(docker_host, "/info");
  if (!info) {
    ADD_FAILURE() << info.error().message;
    return {};
  }
  EXPECT_EQ(info->status, 200) << info->body;
  return id_in_info(info->body);
}

TEST(Peers, EachEngineAnswersPingAndHasItsOwnId) {
  std::set<std::string> ids;
  for (const char* name :
       {"WHARF_TEST_DOCKER_HOST", "WHARF_TEST_DOCKER_HOST_A", "WHARF_TEST_DOCKER_HOST_B"}) {
    const std::string host = peer_env(name);
    ASSERT_FALSE(HasFailure());
    auto ping = engine_get(host, "/_ping");
    ASSERT_TRUE(ping) << ping.error().message;
    EXPECT_EQ(ping->status, 200) << name;
    EXPECT_EQ(ping->body, "OK") << name;
    const std::string id = engine_id(host);
    EXPECT_FALSE(id.empty()) << name << " reported no ID in /info";
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 3u) << "the three engines must be separate hosts with separate IDs";
}

TEST(Peers, OnlyTheLocalEngineHoldsTheSeedImage) {
  const std::string local = peer_env("WHARF_TEST_DOCKER_HOST");
  const std::string engine_a = peer_env("WHARF_TEST_DOCKER_HOST_A");
  ASSERT_FALSE(HasFailure());
  auto image = engine_get(local, "/images/wharf/worker:dev/json");
  ASSERT_TRUE(image) << image.error().message;
  ASSERT_EQ(image->status, 200) << image->body;
  const auto tags = nlohmann::json::parse(image->body).at("RepoTags");
  EXPECT_NE(std::find(tags.begin(), tags.end(), "wharf/worker:dev"), tags.end()) << tags.dump();
  // Separate image stores are what make the engines stand in for separate machines.
  auto elsewhere = engine_get(engine_a, "/images/wharf/worker:dev/json");
  ASSERT_TRUE(elsewhere) << elsewhere.error().message;
  EXPECT_EQ(elsewhere->status, 404) << elsewhere->body;
}

std::string manifest_digest(const std::string& registry, const std::string& tag,
                            const std::string& user_password = {}) {
  auto head = http_probe({.url = "http://" + registry + "/v2/wharf/worker/manifests/" + tag,
                          .method = "HEAD",
                          .headers = {std::string("Accept: ") + kManifestV2},
                          .user_password = user_password});
  if (!head) {
    ADD_FAILURE() << head.error().message;
    return {};
  }
  EXPECT_EQ(head->status, 200) << registry << " " << tag;
  EXPECT_EQ(head->headers["content-type"], kManifestV2);
  return head->headers["docker-content-digest"];
}

void expect_both_worker_tags(const std::string& registry, const std::string& user_password = {}) {
  auto list = http_probe(
      {.url = "http://" + registry + "/v2/wharf/worker/tags/list", .user_password = user_password});
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->status, 200) << list->body;
  const auto tags = nlohmann::json::parse(list->body).at("tags");
  EXPECT_EQ(std::set<std::string>(tags.begin(), tags.end()),
            (std::set<std::string>{"1.0.0", "1.1.0"}))
      << list->body;
}

TEST(Peers, OpenRegistryServesTwoDifferentWorkerVersions) {
  const std::string registry = peer_env("WHARF_TEST_REGISTRY");
  const std::string repo = peer_env("WHARF_TEST_WORKER_REPO");
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(repo, registry + "/wharf/worker");
  expect_both_worker_tags(registry);
  const std::string old_digest = manifest_digest(registry, "1.0.0");
  const std::string new_digest = manifest_digest(registry, "1.1.0");
  EXPECT_EQ(old_digest.rfind("sha256:", 0), 0u) << old_digest;
  EXPECT_EQ(new_digest.rfind("sha256:", 0), 0u) << new_digest;
  EXPECT_NE(old_digest, new_digest);
}

TEST(Peers, AuthRegistryRefusesAnonymousAndAcceptsTheTestLogin) {
  const std::string registry = peer_env("WHARF_TEST_AUTH_REGISTRY");
  const std::string login =
      peer_env("WHARF_TEST_AUTH_USER") + ":" + peer_env("WHARF_TEST_AUTH_PASSWORD");
  ASSERT_FALSE(HasFailure());
  auto anonymous = http_probe({.url = "http://" + registry + "/v2/"});
  ASSERT_TRUE(anonymous) << anonymous.error().message;
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->headers["www-authenticate"].rfind("Basic", 0), 0u)
      << anonymous->headers["www-authenticate"];
  auto wrong = http_probe({.url = "http://" + registry + "/v2/", .user_password = login + "x"});
  ASSERT_TRUE(wrong) << wrong.error().message;
  EXPECT_EQ(wrong->status, 401);
  auto with_login = http_probe({.url = "http://" + registry + "/v2/", .user_password = login});
  ASSERT_TRUE(with_login) << with_login.error().message;
  EXPECT_EQ(with_login->status, 200);
  expect_both_worker_tags(registry, login);
  EXPECT_NE(manifest_digest(registry, "1.0.0", login), manifest_digest(registry, "1.1.0", login));
}

TEST(Peers, PrivateDockerConfigHoldsTheAuthRegistryLogin) {
  const std::string config = peer_env("WHARF_TEST_DOCKER_CONFIG");
  const std::string registry = peer_env("WHARF_TEST_AUTH_REGISTRY");
  ASSERT_FALSE(HasFailure());
  const auto json = nlohmann::json::parse(read_file(config + "/config.json"), nullptr, false);
  ASSERT_TRUE(json.is_object()) << config << "/config.json is not JSON";
  EXPECT_TRUE(json["auths"].contains(registry)) << json.dump();
}

// One SSH host of the pair; the parameter is the suffix of its variables ("A" or "B").
class SshPeer : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    host_ = peer_env(("WHARF_TEST_SSH_HOST_" + GetParam()).c_str());
    port_ = std::atoi(peer_env(("WHARF_TEST_SSH_PORT_" + GetParam()).c_str()).c_str());
    socket_ = peer_env(("WHARF_TEST_SSH_SOCKET_" + GetParam()).c_str());
    engine_ = peer_env(("WHARF_TEST_DOCKER_HOST_" + GetParam()).c_str());
    ASSERT_FALSE(HasFailure());
  }
  std::string host_;
  int port_ = 0;
  std::string socket_;
  std::string engine_;
};

TEST_P(SshPeer, PresentsTheHostKeyRecordedInBothKnownHostsFiles) {
  const std::string other = GetParam() == "A" ? "B" : "A";
  const std::string other_host = peer_env(("WHARF_TEST_SSH_HOST_" + other).c_str());
  const int other_port = std::atoi(peer_env(("WHARF_TEST_SSH_PORT_" + other).c_str()).c_str());
  ASSERT_FALSE(HasFailure());
  auto probe = SshProbe::connect(host_, port_, kTimeout);
  ASSERT_TRUE(probe) << probe.error().message;
  for (const char* file : {"WHARF_TEST_SSH_KNOWN_HOSTS", "WHARF_TEST_SSH_KNOWN_HOSTS_HASHED"}) {
    const std::string known_hosts = peer_env(file);
    ASSERT_FALSE(HasFailure());
    auto own = probe->check_host_key(known_hosts, host_, port_);
    ASSERT_TRUE(own) << own.error().message;
    EXPECT_EQ(*own, HostKeyVerdict::match) << file;
    // The other host's entry must not accept this key: the check can fail.
    auto crossed = probe->check_host_key(known_hosts, other_host, other_port);
    ASSERT_TRUE(crossed) << crossed.error().message;
    EXPECT_EQ(*crossed, HostKeyVerdict::mismatch) << file;
  }
  EXPECT_EQ(read_file(peer_env("WHARF_TEST_SSH_KNOWN_HOSTS_HASHED")).rfind("|1|", 0), 0u);
}

TEST_P(SshPeer, RunsCommandsAgainstItsOwnEngine) {
  const std::string user = peer_env("WHARF_TEST_SSH_USER");
  const std::string key = peer_env("WHARF_TEST_SSH_KEY");
  ASSERT_FALSE(HasFailure());
  auto probe = SshProbe::connect(host_, port_, kTimeout);
  ASSERT_TRUE(probe) << probe.error().message;
  auto login = probe->authenticate(user, key);
  ASSERT_TRUE(login) << login.error().message;
  auto docker_host = probe->exec("echo $DOCKER_HOST");
  ASSERT_TRUE(docker_host) << docker_host.error().message;
  EXPECT_EQ(*docker_host, "unix://" + socket_ + "\n");
  EXPECT_EQ("unix://" + socket_, engine_);
}

TEST_P(SshPeer, ForwardsEngineApiRequestsToItsOwnSocket) {
  const std::string user = peer_env("WHARF_TEST_SSH_USER");
  const std::string key = peer_env("WHARF_TEST_SSH_KEY");
  ASSERT_FALSE(HasFailure());
  auto probe = SshProbe::connect(host_, port_, kTimeout);
  ASSERT_TRUE(probe) << probe.error().message;
  auto login = probe->authenticate(user, key);
  ASSERT_TRUE(login) << login.error().message;
  auto ping = probe->exchange_over_socket(
      socket_, "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(ping) << ping.error().message;
  EXPECT_EQ(ping->rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << *ping;
  EXPECT_TRUE(ping->ends_with("\r\n\r\nOK")) << *ping;
  // Several channels share the session, and the one behind this host is its own engine.
  auto info = probe->exchange_over_socket(socket_, "GET /info HTTP/1.0\r\nHost: docker\r\n\r\n");
  ASSERT_TRUE(info) << info.error().message;
  const auto body_start = info->find("\r\n\r\n");
  ASSERT_NE(body_start, std::string::npos) << *info;
  const std::string id = id_in_info(info->substr(body_start + 4));
  EXPECT_FALSE(id.empty()) << *info;
  EXPECT_EQ(id, engine_id(engine_)) << *info;
}

INSTANTIATE_TEST_SUITE_P(HostsAAndB, SshPeer, ::testing::Values("A", "B"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace wharf::test
