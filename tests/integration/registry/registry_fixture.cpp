#include "integration/registry/registry_fixture.hpp"

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>

#include "wharf/registry/content_digest.hpp"
#include "wharf/util/fd.hpp"

namespace wharf::registry::test {

using wharf::test::peer_env;

void RegistryTest::SetUp() {
  registry_ = peer_env("WHARF_TEST_REGISTRY");
  auth_registry_ = peer_env("WHARF_TEST_AUTH_REGISTRY");
  user_ = peer_env("WHARF_TEST_AUTH_USER");
  password_ = peer_env("WHARF_TEST_AUTH_PASSWORD");
  worker_repo_ = peer_env("WHARF_TEST_WORKER_REPO");
  docker_host_ = peer_env("WHARF_TEST_DOCKER_HOST");
  docker_config_ = peer_env("WHARF_TEST_DOCKER_CONFIG");
  registry_log_ = peer_env("WHARF_TEST_REGISTRY_LOG");
  const char* cli = std::getenv("WHARF_TEST_DOCKER_CLI");
  docker_cli_ = cli != nullptr && *cli != '\0' ? cli : "docker";
  ASSERT_FALSE(HasFailure());
}

RegistryClient RegistryTest::make_client(RegistryOptions options) {
  if (!options.docker_config_directory) {
    options.docker_config_directory = config_dir_.path();
  }
  auto client = RegistryClient::create(std::move(options));
  if (!client) {
    ADD_FAILURE() << client.error().message;
    throw std::runtime_error("no registry client");
  }
  return std::move(*client);
}

ImageReference RegistryTest::ref(const std::string& reference) {
  auto parsed = ImageReference::parse(reference);
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message;
    throw std::runtime_error("bad reference in a test");
  }
  return *parsed;
}

wharf::test::CommandOutput RegistryTest::docker(const std::vector<std::string>& args,
                                                const std::string& input) {
  std::vector<std::string> argv{docker_cli_};
  argv.insert(argv.end(), args.begin(), args.end());
  return wharf::test::run(
      argv, {}, {{"DOCKER_HOST", docker_host_}, {"DOCKER_CONFIG", docker_config_}}, input);
}

PushedImage RegistryTest::push_image(const std::string& reference, const std::string& content) {
  PushedImage pushed{reference, {}, {}};
  wharf::test::TempDir rootfs;
  wharf::test::write_file(rootfs.path() / "content", content);
  const auto tar = wharf::test::run({"tar", "-C", rootfs.path().string(), "-c", "."});
  EXPECT_EQ(tar.exit_code, 0) << tar.err;
  const auto imported = docker({"import", "-", reference}, tar.out);
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  const auto push = docker({"push", reference});
  EXPECT_EQ(push.exit_code, 0) << push.out << push.err;
  std::smatch match;
  if (std::regex_search(push.out, match, std::regex("digest: (sha256:[0-9a-f]{64})"))) {
    pushed.push_digest = match[1];
  }
  EXPECT_FALSE(pushed.push_digest.empty()) << "no digest in docker push's output: " << push.out;
  const auto inspect = docker({"image", "inspect", "--format", "{{json .RepoDigests}}", reference});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  const auto repo_digests = nlohmann::json::parse(inspect.out, nullptr, false);
  const auto repository = reference.substr(0, reference.rfind(':'));
  if (repo_digests.is_array()) {
    for (const auto& entry : repo_digests) {
      const auto text = entry.get<std::string>();
      if (text.starts_with(repository + "@")) {
        pushed.repo_digest = text.substr(repository.size() + 1);
      }
    }
  }
  EXPECT_FALSE(pushed.repo_digest.empty())
      << "no RepoDigest for " << repository << ": " << inspect.out;
  const auto removed = docker({"rmi", reference});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  return pushed;
}

std::string RegistryTest::get_manifest(const std::string& repository, const std::string& tag,
                                       const std::string& media_type) {
  const auto got =
      wharf::test::run({"curl", "-sS", "--fail", "-H", "Accept: " + media_type,
                        "http://" + registry_ + "/v2/" + repository + "/manifests/" + tag});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  return got.out;
}

std::string RegistryTest::put_manifest(const std::string& repository, const std::string& tag,
                                       const std::string& media_type, const std::string& body) {
  const auto put =
      wharf::test::run({"curl", "-sS", "--fail", "-X", "PUT", "-H", "Content-Type: " + media_type,
                        "--data-binary", "@-", "-D", "-", "-o", "/dev/null",
                        "http://" + registry_ + "/v2/" + repository + "/manifests/" + tag},
                       {}, {}, body);
  EXPECT_EQ(put.exit_code, 0) << put.out << put.err;
  std::smatch match;
  if (std::regex_search(
          put.out, match,
          std::regex("docker-content-digest: (sha256:[0-9a-f]{64})", std::regex::icase))) {
    return match[1];
  }
  ADD_FAILURE() << "no Docker-Content-Digest in the PUT's answer: " << put.out;
  return {};
}

std::string RegistryTest::ensure_many_tags() {
  const std::string repository = "wharftest/many";
  const std::string media_type = "application/vnd.docker.distribution.manifest.v2+json";
  // Two test processes (ctest -j) may both find the tags missing; one sets them up.
  const Fd lock(::open((std::filesystem::temp_directory_path() / "wharftest-many.lock").c_str(),
                       O_CREAT | O_RDWR | O_CLOEXEC, 0600));
  EXPECT_TRUE(lock) << "cannot open the lock file for wharftest/many";
  if (lock) {
    (void)::flock(lock.get(), LOCK_EX);  // Released when `lock` closes.
  }
  const auto listed =
      wharf::test::run({"curl", "-sS", "http://" + registry_ + "/v2/" + repository + "/tags/list"});
  const auto tags = nlohmann::json::parse(listed.out, nullptr, false);
  const bool complete = tags.is_object() && tags.contains("tags") && tags["tags"].is_array() &&
                        tags["tags"].size() == 51;
  if (!complete) {
    (void)push_image(registry_ + "/" + repository + ":base", "the many-tags image");
    const auto manifest = get_manifest(repository, "base", media_type);
    for (int i = 1; i <= 50; ++i) {
      const auto tag = (i < 10 ? "t0" : "t") + std::to_string(i);
      (void)put_manifest(repository, tag, media_type, manifest);
    }
  }
  const auto manifest = get_manifest(repository, "base", media_type);
  return sha256_digest(manifest);  // The library's own, unit-tested hash.
}

std::size_t RegistryTest::wharf_log_lines(const std::string& request, std::size_t at_least) {
  // The registry writes its access log asynchronously; give it a moment to catch up.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::size_t count = 0;
  do {
    count = 0;
    std::istringstream log(wharf::test::read_file(registry_log_));
    for (std::string line; std::getline(log, line);) {
      if (line.find("\"" + request + " HTTP/1.1\"") != std::string::npos &&
          line.find("\"wharf/") != std::string::npos) {
        ++count;
      }
    }
    if (count >= at_least) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  return count;
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace wharf::registry::test
