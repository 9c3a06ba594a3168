#include "integration/update/release_fixture.hpp"

#include <chrono>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace wharf::test {

void ReleaseFixture::make_project(const std::string& compose_yaml) {
  docker_cli_ = peer_env("WHARF_TEST_DOCKER_CLI");
  docker_host_ = peer_env("WHARF_TEST_DOCKER_HOST");
  registry_ = peer_env("WHARF_TEST_REGISTRY");
  docker_config_ = peer_env("WHARF_TEST_DOCKER_CONFIG");
  ASSERT_FALSE(HasFailure());
  std::random_device random;
  project_ = "wup" + std::to_string(random() % 1000000);
  repository_ = registry_ + "/wharftest/update-" + project_ + "/app";
  git(root_.path(), {"init", "--quiet", "--bare", "--initial-branch=main", origin().string()});
  git(root_.path(), {"clone", "--quiet", origin().string(), dev().string()});
  std::filesystem::create_directories(dev() / "docker");
  write_file(dev() / ".gitignore", "docker/.env\ndocker/.wharf/\n");
  write_file(dev() / "docker" / "docker-compose.yml", compose_yaml);
  release("1.1.0", true);
  git(root_.path(), {"clone", "--quiet", origin().string(), project().string()});
  write_file(project() / "docker" / ".env", "COMPOSE_PROJECT_NAME=" + project_ +
                                                "\nIMAGE_TAG=" + image_tag("1.1.0") +
                                                "\nAPP_IMAGE=" + repository_ + "\n");
}

void ReleaseFixture::TearDown() {
  if (project_.empty()) {
    return;
  }
  auto listed = docker({"ps", "-aq", "--filter", "label=com.docker.compose.project=" + project_});
  for (const auto& id : lines(listed.out)) {
    (void)docker({"rm", "-f", "-v", id});
  }
  auto tags = extra_tags_;
  for (const auto& version : {"1.1.0", "1.2.0", "1.3.0"}) {
    tags.push_back(image_tag(version));
  }
  for (const auto& tag : tags) {
    (void)docker({"rmi", "-f", repository_ + ":" + tag});
  }
}

void ReleaseFixture::release(const std::string& version, bool healthy, bool push_image) {
  write_file(dev() / "VERSION", "v" + version + "\n");
  git(dev(), {"add", "-A"});
  git(dev(), {"commit", "--quiet", "-m", "release " + version});
  git(dev(), {"tag", "v" + version});
  git(dev(), {"push", "--quiet", "origin", "HEAD:main", "v" + version});
  TempDir context;
  write_file(context.path() / "Dockerfile", std::string("FROM wharf/worker:dev\nENV APP_RELEASE=") +
                                                version + "\nLABEL org.example.release=" + version +
                                                "\n" + (healthy ? "COPY healthy /healthy\n" : ""));
  write_file(context.path() / "healthy", "yes\n");
  const auto image = repository_ + ":" + image_tag(version);
  auto built = run(
      {docker_cli_, "build", "--quiet", "--network", "none", "-t", image, context.path().string()},
      {}, {{"DOCKER_HOST", docker_host_}, {"DOCKER_BUILDKIT", "0"}});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  if (!push_image) {
    return;
  }
  auto pushed = docker({"push", image});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
}

std::string ReleaseFixture::git(const std::filesystem::path& dir, std::vector<std::string> args) {
  return git_in(dir, std::move(args));
}

CommandOutput ReleaseFixture::docker(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{docker_cli_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {}, {{"DOCKER_HOST", docker_host_}, {"DOCKER_CONFIG", docker_config_}});
}

CommandOutput ReleaseFixture::compose(const std::vector<std::string>& args) const {
  const auto directory = project() / "docker";
  std::vector<std::string> argv{"docker-compose",
                                "-p",
                                project_,
                                "-f",
                                (directory / "docker-compose.yml").string(),
                                "--project-directory",
                                directory.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, directory, {{"DOCKER_HOST", docker_host_}, {"DOCKER_CONFIG", docker_config_}});
}

CommandOutput ReleaseFixture::wharf(std::vector<std::string> args,
                                    std::map<std::string, std::string> extra,
                                    TestHooks hooks) const {
  if (!strategy_.empty()) {
    for (auto arg = args.begin(); arg != args.end(); ++arg) {
      if (*arg == "update" || *arg == "rollback") {
        args.insert(arg + 1, {"--strategy", strategy_});
        break;
      }
    }
  }
  extra["DOCKER_HOST"] = docker_host_;
  extra["DOCKER_CONFIG"] = config_.path().string();
  return run_wharf(args, project(), extra, hooks);
}

nlohmann::json ReleaseFixture::inspect(const std::string& name) const {
  auto out = docker({"inspect", name});
  if (out.exit_code != 0) {
    return nlohmann::json::object();
  }
  auto parsed = nlohmann::json::parse(out.out, nullptr, false);
  return parsed.is_array() && !parsed.empty() ? parsed[0] : nlohmann::json::object();
}

std::string ReleaseFixture::env_tag() const {
  const auto text = read_file(project() / "docker" / ".env");
  const auto at = text.find("IMAGE_TAG=");
  return text.substr(at + 10, text.find('\n', at) - at - 10);
}

std::map<std::string, std::string> ReleaseFixture::stack_containers() const {
  std::map<std::string, std::string> result;
  auto listed = docker({"ps", "-a", "--format", "{{.Names}} {{.Image}}", "--filter",
                        "label=com.docker.compose.project=" + project_});
  for (const auto& line : lines(listed.out)) {
    result[line.substr(0, line.find(' '))] = line.substr(line.find(' ') + 1);
  }
  return result;
}

std::string ReleaseFixture::container_of(const std::string& service) const {
  auto listed = docker({"ps", "-a", "--format", "{{.Names}}", "--filter",
                        "label=com.docker.compose.project=" + project_, "--filter",
                        "label=com.docker.compose.service=" + service});
  const auto names = lines(listed.out);
  EXPECT_LE(names.size(), 1U) << "service " << service << " has several containers";
  return names.empty() ? std::string() : names.front();
}

void ReleaseFixture::wait_healthy(const std::string& name) const {
  for (int i = 0; i < 100; ++i) {
    if (inspect(name)["State"]["Health"]["Status"] == "healthy") {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ADD_FAILURE() << name << " did not become healthy";
}

std::vector<std::string> ReleaseFixture::lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      result.push_back(line);
    }
  }
  return result;
}

}  // namespace wharf::test
