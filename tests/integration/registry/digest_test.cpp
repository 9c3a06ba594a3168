// Resolving tags to digests against the private registry, compared with what docker itself
// reports: `docker push`, the engine's RepoDigests, and the engine's own registry lookup.

#include <atomic>
#include <random>

#include <gmock/gmock.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include "wharf/connect/engine_route.hpp"
#include "wharf/engine/docker_host.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/registry/content_digest.hpp"
#include "wharf/registry/manifest.hpp"

#include "integration/registry/registry_fixture.hpp"
#include "integration/registry/test_http_server.hpp"

namespace wharf::registry::test {
namespace {

using ::testing::HasSubstr;

std::string unique_content(const std::string& label) {
  std::random_device random;
  return label + " " + std::to_string(random()) + "-" + std::to_string(random());
}

TEST_F(RegistryTest, WorkerTagsResolveToTheDigestsTheEngineSees) {
  auto client = make_client();
  auto engine_host = engine::parse_docker_host(docker_host_, "WHARF_TEST_DOCKER_HOST");
  ASSERT_TRUE(engine_host.has_value()) << engine_host.error().message;
  auto engine = connect::connect_engine(*engine_host);
  ASSERT_TRUE(engine.has_value()) << engine.error().message;

  std::map<std::string, std::string> digests;
  for (const std::string tag : {"1.0.0", "1.1.0"}) {
    auto resolved = client.resolve_digest(ref(worker_repo_ + ":" + tag));
    ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
    EXPECT_EQ(resolved->media_type, kDockerManifest);
    EXPECT_FALSE(resolved->is_index());
    // The engine's own registry client (GET /distribution/{name}/json) asks the registry
    // without pulling; both must name the same manifest.
    auto distribution = engine->raw_request(
        engine::HttpRequest{"GET",
                            "/distribution/" + worker_repo_ + ":" + tag + "/json",
                            {},
                            {},
                            engine::kDefaultCallTimeout});
    ASSERT_TRUE(distribution.has_value()) << distribution.error().message;
    ASSERT_EQ(distribution->status, 200) << distribution->body;
    const auto descriptor = nlohmann::json::parse(distribution->body)["Descriptor"];
    EXPECT_EQ(resolved->digest, descriptor["digest"].get<std::string>()) << tag;
    digests[tag] = resolved->digest;
  }
  EXPECT_NE(digests["1.0.0"], digests["1.1.0"]);
}

TEST_F(RegistryTest, APushUnderTheSameTagChangesTheDigestAndCheckingNeverPulls) {
  const auto reference = registry_ + "/wharftest/changing:current";
  auto client = make_client();
  const auto first = push_image(reference, unique_content("first"));
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(first.push_digest, first.repo_digest);
  const auto heads_before = wharf_log_lines("HEAD /v2/wharftest/changing/manifests/current");
  const auto gets_before = wharf_log_lines("GET /v2/wharftest/changing/manifests/current");

  auto before = client.resolve_digest(ref(reference));
  ASSERT_TRUE(before.has_value()) << before.error().message;
  EXPECT_EQ(before->digest, first.push_digest);

  const auto second = push_image(reference, unique_content("second"));
  ASSERT_FALSE(HasFailure());
  ASSERT_NE(second.push_digest, first.push_digest);
  auto after = client.resolve_digest(ref(reference));  // Same client: nothing is cached.
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ(after->digest, second.push_digest);
  EXPECT_EQ(after->digest, second.repo_digest);
  EXPECT_FALSE(after->matches(first.repo_digest)) << "a local copy of the first push is outdated";

  // Each check was one HEAD; the manifest itself was never downloaded.
  EXPECT_EQ(wharf_log_lines("HEAD /v2/wharftest/changing/manifests/current", heads_before + 2),
            heads_before + 2);
  EXPECT_EQ(wharf_log_lines("GET /v2/wharftest/changing/manifests/current"), gets_before);
}

TEST_F(RegistryTest, AnIndexResolvesToItsDigestAndThisPlatformsEntry) {
  const auto repository = std::string("wharftest/multi");
  const auto amd64 =
      push_image(registry_ + "/" + repository + ":part-amd64", unique_content("amd"));
  const auto arm64 =
      push_image(registry_ + "/" + repository + ":part-arm64", unique_content("arm"));
  ASSERT_FALSE(HasFailure());
  const auto size_of = [&](const std::string& tag) {
    return get_manifest(repository, tag, std::string(kDockerManifest)).size();
  };
  for (const auto& [tag, media_type] :
       {std::pair{std::string("list"), std::string(kDockerManifestList)},
        std::pair{std::string("oci-index"), std::string(kOciIndex)}}) {
    const nlohmann::json index = {
        {"schemaVersion", 2},
        {"mediaType", media_type},
        {"manifests",
         {{{"mediaType", kDockerManifest},
           {"digest", amd64.push_digest},
           {"size", size_of("part-amd64")},
           {"platform", {{"os", "linux"}, {"architecture", "amd64"}}}},
          {{"mediaType", kDockerManifest},
           {"digest", arm64.push_digest},
           {"size", size_of("part-arm64")},
           {"platform", {{"os", "linux"}, {"architecture", "arm64"}, {"variant", "v8"}}}}}}};
    const auto body = index.dump();
    const auto index_digest = put_manifest(repository, tag, media_type, body);
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(index_digest, sha256_digest(body));

    for (const auto& [platform, expected] :
         {std::pair{Platform{"linux", "amd64", ""}, amd64.push_digest},
          std::pair{Platform{"linux", "arm64", "v8"}, arm64.push_digest}}) {
      RegistryOptions options;
      options.platform = platform;
      auto client = make_client(options);
      auto resolved = client.resolve_digest(ref(registry_ + "/" + repository + ":" + tag));
      ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
      EXPECT_EQ(resolved->digest, index_digest) << tag;
      EXPECT_EQ(resolved->media_type, media_type);
      EXPECT_EQ(resolved->platform_digest, expected) << tag << " " << platform.to_string();
    }
    RegistryOptions s390x;
    s390x.platform = Platform{"linux", "s390x", ""};
    auto none = make_client(s390x).resolve_digest(ref(registry_ + "/" + repository + ":" + tag));
    ASSERT_TRUE(none.has_value()) << none.error().message;
    EXPECT_EQ(none->platform_digest, std::nullopt);
  }
}

TEST_F(RegistryTest, AMissingTagOrRepositoryIsNotInTheRegistry) {
  auto client = make_client();
  for (const auto& reference : {worker_repo_ + ":9.9.9", registry_ + "/wharftest/never-pushed:1"}) {
    auto missing = client.resolve_digest(ref(reference));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
    EXPECT_EQ(missing.error().http_status, 404);
    EXPECT_THAT(missing.error().message,
                HasSubstr(reference + " is not in the registry " + registry_));
  }
}

TEST_F(RegistryTest, ARegistryThatIsDownIsNamed) {
  // A port that was free a moment ago: nothing listens there.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ::close(probe);
  const auto domain = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));

  auto down = make_client().resolve_digest(ref(domain + "/team/app:1"));
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().kind, ErrorKind::unavailable);
  EXPECT_THAT(down.error().message,
              HasSubstr(domain + "/team/app:1: cannot connect to the registry " + domain));
  EXPECT_THAT(down.error().message, HasSubstr("Connection refused"));
}

TEST_F(RegistryTest, ARegistryNotOnLoopbackGetsTlsAndATlsFailureIsNamed) {
  TestHttpServer plain([](const ReceivedRequest&) { return ScriptedResponse{200, {}, ""}; });
  // "127.1" reaches 127.0.0.1 but, like docker, wharf treats only literal loopback
  // addresses as loopback, so this registry is spoken to with TLS — which a plain HTTP
  // server cannot answer.
  const auto domain = "127.1:" + std::to_string(plain.port());
  auto refused = make_client().resolve_digest(ref(domain + "/team/app:1"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::permission);
  EXPECT_THAT(refused.error().message,
              HasSubstr(domain + "/team/app:1: the TLS connection to the registry " + domain +
                        " at https://" + domain + " failed"));

  // Marked insecure, the same registry is reached over plain http.
  RegistryOptions insecure;
  insecure.insecure_registries = {domain};
  auto reached = make_client(insecure).resolve_digest(ref(domain + "/team/app:1"));
  ASSERT_FALSE(reached.has_value());  // The server sends no manifest…
  EXPECT_EQ(reached.error().kind, ErrorKind::remote) << reached.error().message;
  EXPECT_EQ(plain.requests().front().method, "HEAD");  // …but it was asked.
}

TEST_F(RegistryTest, WithoutADigestOnHeadTheManifestIsReadAndHashed) {
  const std::string manifest = get_manifest("wharf/worker", "1.1.0", std::string(kDockerManifest));
  TestHttpServer registry([&](const ReceivedRequest& request) {
    if (request.method == "HEAD") {
      return ScriptedResponse{200, {{"Content-Type", "application/json"}}, ""};
    }
    return ScriptedResponse{200, {{"Content-Type", std::string(kDockerManifest)}}, manifest};
  });
  auto resolved = make_client().resolve_digest(ref(registry.domain() + "/wharf/worker:1.1.0"));
  ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
  EXPECT_EQ(resolved->digest, sha256_digest(manifest));
  auto real = make_client().resolve_digest(ref(worker_repo_ + ":1.1.0"));
  ASSERT_TRUE(real.has_value()) << real.error().message;
  EXPECT_EQ(resolved->digest, real->digest);
  const auto requests = registry.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].method, "HEAD");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/v2/wharf/worker/manifests/1.1.0");
}

TEST_F(RegistryTest, AMalformedReferenceIsRejectedBeforeAnyRequest) {
  std::atomic<int> served{0};
  TestHttpServer registry([&](const ReceivedRequest&) {
    ++served;
    return ScriptedResponse{200,
                            {{"Docker-Content-Digest", "sha256:" + std::string(64, 'c')},
                             {"Content-Type", std::string(kOciManifest)}},
                            ""};
  });
  const std::vector<std::string> images{registry.domain() + "/Team/App:1",
                                        registry.domain() + "/team/app:1",
                                        registry.domain() + "/team/app:bad tag"};
  auto results = make_client().resolve_digests(std::span<const std::string>(images));
  ASSERT_EQ(results.size(), 3U);
  ASSERT_FALSE(results[0].has_value());
  EXPECT_EQ(results[0].error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(results[0].error().message, HasSubstr("lowercase"));
  ASSERT_TRUE(results[1].has_value()) << results[1].error().message;
  ASSERT_FALSE(results[2].has_value());
  EXPECT_EQ(results[2].error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(served.load(), 1);
}

}  // namespace
}  // namespace wharf::registry::test
