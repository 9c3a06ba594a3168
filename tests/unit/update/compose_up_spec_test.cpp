// The compose strategy's command line: what compose is asked, and with which environment.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "wharf/update/compose_restart.hpp"

#include "support/peers.hpp"

namespace wharf::update {
namespace {

ComposeUp up_of(std::vector<std::string> services) {
  return ComposeUp{.compose_file = "/srv/app/docker/docker-compose.yml",
                   .project = "shop",
                   .services = std::move(services),
                   .pinned = {{"IMAGE_TAG", "1.2.0"}, {"APP_IMAGE", "registry.test/app"}},
                   .timeout = std::chrono::seconds(300)};
}

TEST(ComposeUpSpec, NamesTheProjectFileDirectoryAndOnlyTheGivenServices) {
  const ComposeRestart compose{.cli = {.command = {"docker-compose"}, .version = "1.29.2"},
                               .environment = {}};
  const auto spec = compose_up_spec(compose, up_of({"db", "app"}));
  EXPECT_EQ(spec.argv, (std::vector<std::string>{"docker-compose", "-p", "shop", "-f",
                                                 "/srv/app/docker/docker-compose.yml",
                                                 "--project-directory", "/srv/app/docker", "up",
                                                 "-d", "--no-build", "--no-color", "db", "app"}));
  EXPECT_EQ(spec.working_directory, std::filesystem::path("/srv/app/docker"));
  EXPECT_EQ(spec.timeout, std::chrono::seconds(300));
}

TEST(ComposeUpSpec, ThePluginFormKeepsItsTwoWords) {
  const ComposeRestart compose{.cli = {.command = {"docker", "compose"}, .version = "2.24.6"},
                               .environment = {}};
  const auto spec = compose_up_spec(compose, up_of({"app"}));
  ASSERT_GE(spec.argv.size(), 3U);
  EXPECT_EQ(spec.argv[0], "docker");
  EXPECT_EQ(spec.argv[1], "compose");
  EXPECT_EQ(spec.argv[2], "-p");
  EXPECT_EQ(spec.argv.back(), "app");
}

TEST(ComposeUpSpec, ThePinIsInComposesEnvironmentAndTheEngineWins) {
  // An IMAGE_TAG exported in the operator's shell is overridden by the pinned one; DOCKER_HOST
  // is the engine wharf itself talks to.
  const ComposeRestart compose{.cli = {.command = {"docker-compose"}, .version = ""},
                               .environment = {{"DOCKER_HOST", "unix:///run/private.sock"}}};
  const auto spec = compose_up_spec(compose, up_of({"app"}));
  EXPECT_EQ(spec.environment.at("IMAGE_TAG"), "1.2.0");
  EXPECT_EQ(spec.environment.at("APP_IMAGE"), "registry.test/app");
  EXPECT_EQ(spec.environment.at("DOCKER_HOST"), "unix:///run/private.sock");
}

TEST(ComposeUpSpec, AServiceNameIsOneArgumentWhateverItHolds) {
  // The argv reaches compose without a shell: a name never becomes more than one argument.
  const ComposeRestart compose{.cli = {.command = {"docker-compose"}, .version = ""},
                               .environment = {}};
  const auto spec = compose_up_spec(compose, up_of({"web app; rm -rf /"}));
  EXPECT_EQ(spec.argv.back(), "web app; rm -rf /");
  EXPECT_EQ(std::count(spec.argv.begin(), spec.argv.end(), "up"), 1);
}

TEST(ComposeUp, ComposeGetsTheDotEnvValuesAsWharfReadsThem) {
  // A stand-in for the compose CLI (sh) writes what it was given to a file: compose lets its
  // environment win over .env without interpolating it, so a raw `${IMAGE_TAG}-x` there would
  // make it run another image than wharf reads.
  const wharf::test::TempDir dir;
  const pin::ProjectLayout layout{dir.path()};
  std::filesystem::create_directories(layout.docker_dir());
  {
    std::ofstream env(layout.env_file(), std::ios::binary);
    env << "IMAGE_TAG=1.2.3\nSUFFIX=${IMAGE_TAG}-x\nLITERAL='${IMAGE_TAG}'\n";
  }
  const auto seen = dir.path() / "seen";
  const ComposeRestart compose{
      .cli = {.command = {"sh", "-c",
                          R"(printf '%s|%s|%s' "$SUFFIX" "$LITERAL" "$IMAGE_TAG" > "$OUT")",
                          "compose"},
              .version = ""},
      .environment = {{"OUT", seen.string()}}};
  ComposeUp up{.compose_file = layout.docker_dir() / "docker-compose.yml",
               .project = "shop",
               .services = {"app"},
               .pinned = {},
               .timeout = std::chrono::seconds(30)};
  const auto ran = compose_up(compose, layout, up);
  ASSERT_TRUE(ran) << ran.error().message;
  std::ifstream in(seen, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "1.2.3-x|${IMAGE_TAG}|1.2.3");
}

}  // namespace
}  // namespace wharf::update
