#include "integration/runtime/runtime_fixture.hpp"

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace wharf::runtime::test {

using wharf::test::CommandOutput;

namespace {

// The image tools/peers.sh imports into the local engine: busybox with sh, sleep, echo.
constexpr const char* kBaseImage = "wharf/worker:dev";

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

void RuntimeTest::SetUp() {
  docker_host_ = wharf::test::peer_env("WHARF_TEST_DOCKER_HOST");
  docker_cli_ = wharf::test::peer_env("WHARF_TEST_DOCKER_CLI");
  ASSERT_FALSE(HasFailure());
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  for (auto& c : name) {
    c = std::isalnum(static_cast<unsigned char>(c)) != 0
            ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
            : '-';
  }
  test_name_ = "rt-" + name;
  project_ = "wharftest-" + test_name_;
}

void RuntimeTest::TearDown() {
  const auto listed = docker(
      {"ps", "--all", "--quiet", "--filter", "label=com.docker.compose.project=" + project_});
  std::istringstream ids(listed.out);
  for (std::string id; std::getline(ids, id);) {
    (void)docker({"rm", "--force", id});
  }
  const auto images = docker({"images", "--format", "{{.Repository}}:{{.Tag}}"});
  std::istringstream references(images.out);
  const std::string marker = "wharftest/" + test_name_ + "/";
  for (std::string reference; std::getline(references, reference);) {
    if (reference.find(marker) != std::string::npos) {
      (void)docker({"rmi", reference});
    }
  }
  const auto left_containers = docker(
      {"ps", "--all", "--quiet", "--filter", "label=com.docker.compose.project=" + project_});
  EXPECT_EQ(left_containers.out, "") << "containers of this test are left on the engine";
  const auto left_images = docker({"images", "--format", "{{.Repository}}:{{.Tag}}"});
  EXPECT_EQ(left_images.out.find(marker), std::string::npos)
      << "images of this test are left on the engine:\n"
      << left_images.out;
}

CommandOutput RuntimeTest::docker(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{docker_cli_};
  argv.insert(argv.end(), args.begin(), args.end());
  return wharf::test::run(argv, {}, {{"DOCKER_HOST", docker_host_}});
}

std::string RuntimeTest::image(const std::string& service) const {
  return "wharftest/" + test_name_ + "/" + service + ":1.0.0";
}

void RuntimeTest::write_project(const std::vector<std::string>& services) {
  std::filesystem::create_directories(root_.path() / "docker");
  wharf::test::write_file(root_.path() / "docker/.env",
                          "COMPOSE_PROJECT_NAME=" + project_ + "\nIMAGE_TAG=1.0.0\n");
  std::string compose = "services:\n";
  for (const auto& service : services) {
    compose += "  " + service + ":\n    image: wharftest/" + test_name_ + "/" + service +
               ":${IMAGE_TAG}\n    network_mode: none\n";
    const auto tagged = docker({"tag", kBaseImage, image(service)});
    ASSERT_EQ(tagged.exit_code, 0) << tagged.err;
  }
  wharf::test::write_file(root_.path() / "docker/docker-compose.yml", compose);
}

std::string RuntimeTest::add_container(const std::string& service, int number,
                                       const std::string& command,
                                       const std::vector<std::string>& flags, bool start) {
  std::vector<std::string> args{start ? "run" : "create"};
  if (start) {
    args.emplace_back("--detach");
  }
  const auto number_text = std::to_string(number);
  args.insert(args.end(), {"--name", project_ + "-" + service + "-" + number_text, "--label",
                           "com.docker.compose.project=" + project_, "--label",
                           "com.docker.compose.service=" + service, "--label",
                           "com.docker.compose.container-number=" + number_text});
  bool network = false;
  for (const auto& flag : flags) {
    network = network || flag.starts_with("--network");
  }
  if (!network) {
    args.emplace_back("--network=none");
  }
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), {image(service), "sh", "-c", command});
  const auto made = docker(args);
  EXPECT_EQ(made.exit_code, 0) << made.err;
  return trimmed(made.out);
}

void RuntimeTest::wait_for(const std::string& container, const std::string& format,
                           const std::string& expected, std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    last = trimmed(docker({"inspect", "--format", format, container}).out);
    if (last == expected) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << container << ": " << format << " is still \"" << last << "\", not \"" << expected
                << "\"";
}

std::map<std::string, std::string> RuntimeTest::wharf_environment() const {
  return {{"DOCKER_HOST", docker_host_}, {"NO_COLOR", "1"}};
}

WharfRun RuntimeTest::wharf(const std::vector<std::string>& args) const {
  std::vector<std::string> full{"-C", root_.path().string()};
  full.insert(full.end(), args.begin(), args.end());
  WharfRun result{wharf::test::run_wharf(full, {}, wharf_environment()), nullptr};
  result.json = nlohmann::json::parse(result.output.out, nullptr, /*allow_exceptions=*/false);
  if (result.json.is_discarded()) {
    result.json = nullptr;
  }
  return result;
}

}  // namespace wharf::runtime::test
