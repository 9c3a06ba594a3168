#include "integration/images/images_fixture.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <sstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "wharf/core/encoding.hpp"
#include "wharf/util/fd.hpp"

namespace wharf::images::test {

using wharf::test::CommandOutput;
using wharf::test::peer_env;

CommandOutput DockerCli::operator()(const std::vector<std::string>& args,
                                    const std::string& input) const {
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  return wharf::test::run(argv, {}, {{"DOCKER_HOST", host}, {"DOCKER_CONFIG", config_directory}},
                          input);
}

EngineCleanup::EngineCleanup(DockerCli docker, std::string marker)
    : docker_(std::move(docker)), marker_(std::move(marker)) {}

EngineCleanup::~EngineCleanup() {
  // Containers first: an image a container uses cannot be removed.
  for (const auto& name : containers_) {
    (void)docker_({"rm", "--force", name});
  }
  const auto listed = docker_({"images", "--format", "{{.Repository}}:{{.Tag}}"});
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(marker_) != std::string::npos) {
      (void)docker_({"rmi", "--force", line});
    }
  }
  // Images that lost their tags (the one a push under the same tag replaced) are only
  // reachable by ID; most are gone already, so "no such image" is expected here.
  for (const auto& id : image_ids_) {
    (void)docker_({"rmi", "--force", id});
  }
  const auto left = docker_({"images", "--format", "{{.Repository}}:{{.Tag}}"});
  EXPECT_EQ(left.out.find(marker_), std::string::npos)
      << "images of this test are still on the engine after cleanup:\n"
      << left.out;
}

void ImagesTest::SetUp() {
  registry_ = peer_env("WHARF_TEST_REGISTRY");
  auth_registry_ = peer_env("WHARF_TEST_AUTH_REGISTRY");
  user_ = peer_env("WHARF_TEST_AUTH_USER");
  password_ = peer_env("WHARF_TEST_AUTH_PASSWORD");
  docker_host_ = peer_env("WHARF_TEST_DOCKER_HOST");
  const auto peers_config = peer_env("WHARF_TEST_DOCKER_CONFIG");
  ASSERT_FALSE(HasFailure());
  const char* cli = std::getenv("WHARF_TEST_DOCKER_CLI");
  docker_ = DockerCli{cli != nullptr && *cli != '\0' ? cli : "docker", docker_host_, peers_config};

  // Repository names allow lower-case letters, digits and separators only.
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  for (auto& c : name) {
    c = std::isalnum(static_cast<unsigned char>(c)) != 0
            ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
            : '-';
  }
  test_name_ = "images-" + name;
  cleanup_ = std::make_unique<EngineCleanup>(docker_, "/wharftest/" + test_name_ + "/");
}

void ImagesTest::TearDown() {
  cleanup_.reset();
}

std::string ImagesTest::repository(const std::string& name) const {
  return repository_on(registry_, name);
}

std::string ImagesTest::repository_on(const std::string& registry, const std::string& name) const {
  return registry + "/wharftest/" + test_name_ + "/" + name;
}

CommandOutput ImagesTest::docker(const std::vector<std::string>& args,
                                 const std::string& input) const {
  return docker_(args, input);
}

std::string ImagesTest::import_image(const std::string& reference, const std::string& content) {
  wharf::test::TempDir rootfs;
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  wharf::test::write_file(rootfs.path() / "content", content + "\n" + std::to_string(stamp));
  const auto tar = wharf::test::run({"tar", "-C", rootfs.path().string(), "-c", "."});
  EXPECT_EQ(tar.exit_code, 0) << tar.err;
  const auto imported = docker({"import", "-", reference}, tar.out);
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  auto id = imported.out.substr(0, imported.out.find_last_not_of(" \n") + 1);
  EXPECT_TRUE(id.starts_with("sha256:")) << "docker import printed " << imported.out;
  cleanup_->add_image(id);
  return id;
}

std::string ImagesTest::push(const std::string& reference) {
  const auto pushed = docker({"push", reference});
  EXPECT_EQ(pushed.exit_code, 0) << pushed.out << pushed.err;
  std::smatch match;
  if (std::regex_search(pushed.out, match, std::regex("digest: (sha256:[0-9a-f]{64})"))) {
    return match[1];
  }
  ADD_FAILURE() << "no digest in docker push's output: " << pushed.out;
  return {};
}

void ImagesTest::create_container(const std::string& name, const std::string& image) {
  cleanup_->add_container(name);
  // The imported images hold one file and no command; the container is never started.
  const auto created = docker({"create", "--name", name, "--network", "none", image, "/none"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
}

std::string ImagesTest::image_id(const std::string& reference_or_id) const {
  const auto inspected = docker({"image", "inspect", "--format", "{{.Id}}", reference_or_id});
  if (inspected.exit_code != 0) {
    return {};
  }
  return inspected.out.substr(0, inspected.out.find_last_not_of(" \n") + 1);
}

std::string ImagesTest::engine_images() const {
  const auto listed = docker({"images", "--all", "--no-trunc", "--digests", "--format",
                              "{{.ID}} {{.Repository}}:{{.Tag}} {{.Digest}}"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  std::istringstream lines(listed.out);
  std::vector<std::string> mine;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("/wharftest/" + test_name_ + "/") != std::string::npos) {
      mine.push_back(line);
    }
  }
  // The CLI orders by creation time in whole seconds, so images made within one second
  // come in any order; sorted, equal lists compare equal byte for byte.
  std::sort(mine.begin(), mine.end());
  std::string text;
  for (const auto& line : mine) {
    text += line + "\n";
  }
  return text;
}

WharfRun ImagesTest::wharf(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) const {
  std::map<std::string, std::string> full{{"DOCKER_HOST", docker_host_},
                                          {"DOCKER_CONFIG", config_dir_.path().string()}};
  for (const auto& [key, value] : env) {
    full[key] = value;
  }
  WharfRun result{wharf::test::run_wharf(args, {}, full), nullptr};
  result.json = nlohmann::json::parse(result.output.out, nullptr, /*allow_exceptions=*/false);
  if (result.json.is_discarded()) {
    result.json = nullptr;
  }
  return result;
}

void ImagesTest::write_auth_config() const {
  wharf::test::write_file(config_dir_.path() / "config.json",
                          R"({"auths":{")" + auth_registry_ + R"(":{"auth":")" +
                              base64_encode(user_ + ":" + password_) + R"("}}})");
}

std::filesystem::path ImagesTest::write_project(const std::string& image_tag) {
  const auto root = project_dir_.path();
  std::filesystem::create_directories(root / "docker");
  wharf::test::write_file(root / "docker/.env",
                          "COMPOSE_PROJECT_NAME=" + test_name_ + "\nIMAGE_TAG=" + image_tag +
                              "\nAPP_IMAGE=" + repository("app") + "\nWORKER_IMAGE=" +
                              repository("worker") + "\nTASK_EXECUTOR_IMAGE=\n");
  std::filesystem::copy_file(std::filesystem::path(WHARF_SOURCE_DIR) / "docker/docker-compose.yml",
                             root / "docker/docker-compose.yml",
                             std::filesystem::copy_options::overwrite_existing);
  return root;
}

std::string ImagesTest::closed_registry() {
  const Fd socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  // Bound but never listening, then closed: connecting to the port is refused.
  if (!socket || ::bind(socket.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(socket.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ADD_FAILURE() << "cannot bind a loopback port";
    return "127.0.0.1:1";
  }
  return "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

}  // namespace wharf::images::test
