#include "wharf/stack/compose_file.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wharf/core/env_file.hpp"
#include "wharf/stack/project_variables.hpp"

#include "support/peers.hpp"

namespace wharf::stack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path source_dir = WHARF_SOURCE_DIR;

VariableLookup lookup_of(std::map<std::string, std::string, std::less<>> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) {
      return std::nullopt;
    }
    return found->second;
  };
}

const VariableLookup no_variables = lookup_of({});

class ComposeFileTest : public ::testing::Test {
 protected:
  test::TempDir dir_;

  fs::path write(const std::string& content, const std::string& name = "compose.yaml") {
    const fs::path path = dir_.path() / name;
    test::write_file(path, content);
    return path;
  }

  /// The error message of loading `content`, which must fail with invalid_input.
  std::string error_of(const std::string& content, const VariableLookup& lookup = no_variables) {
    const fs::path path = write(content);
    const auto loaded = load_compose_file(path, lookup);
    if (loaded) {
      ADD_FAILURE() << "loaded:\n" << content;
      return {};
    }
    EXPECT_EQ(loaded.error().kind, ErrorKind::invalid_input) << loaded.error().message;
    return loaded.error().message;
  }

  std::string p() const { return (dir_.path() / "compose.yaml").string(); }
};

TEST_F(ComposeFileTest, ReadsTheRepositorysExampleStackPinnedByEnvExample) {
  auto env =
      EnvFile::parse(test::read_file(source_dir / "docker/.env.example"), "docker/.env.example");
  ASSERT_TRUE(env) << env.error().message;
  // A copy in a temp dir, like every other file these tests load.
  const fs::path path =
      write(test::read_file(source_dir / "docker/docker-compose.yml"), "docker-compose.yml");

  const auto file = load_compose_file(path, project_variables(*env));
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->path, path);
  EXPECT_EQ(file->name, std::nullopt);
  ASSERT_EQ(file->services.size(), 2u);

  const ComposeService* app = file->service("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->image, "127.0.0.1:5000/acme/app:0.1.0");
  EXPECT_EQ(app->image_template,
            "${APP_IMAGE:?set APP_IMAGE in docker/.env}:${IMAGE_TAG:?run wharf pin}");
  EXPECT_FALSE(app->has_build);
  EXPECT_TRUE(app->has_healthcheck);
  EXPECT_TRUE(app->depends_on.empty());

  const ComposeService* scheduler = file->service("scheduler");
  ASSERT_NE(scheduler, nullptr);
  EXPECT_EQ(scheduler->image, "127.0.0.1:5000/acme/worker:0.1.0");
  EXPECT_FALSE(scheduler->has_healthcheck);
  ASSERT_EQ(scheduler->depends_on.size(), 1u);
  EXPECT_EQ(scheduler->depends_on[0].service, "app");
  EXPECT_EQ(scheduler->depends_on[0].condition, "service_healthy");

  EXPECT_EQ(file->services[0].name, "app");
  EXPECT_EQ(file->services[1].name, "scheduler");
  EXPECT_EQ(file->service("nope"), nullptr);

  const auto order = start_order(*file);
  ASSERT_TRUE(order) << order.error().message;
  EXPECT_EQ(*order, (std::vector<std::string>{"app", "scheduler"}));
}

TEST_F(ComposeFileTest, TheExampleStackWithoutItsPinNamesTheMissingVariable) {
  const fs::path path =
      write(test::read_file(source_dir / "docker/docker-compose.yml"), "docker-compose.yml");
  const auto file = load_compose_file(path, lookup_of({{"IMAGE_TAG", "1.0.0"}}));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(file.error().message, path.string() +
                                      ":5: services.app.image: required variable APP_IMAGE is "
                                      "missing a value: set APP_IMAGE in docker/.env");
}

TEST_F(ComposeFileTest, ReadsEveryFormOfTheFieldsItUses) {
  const fs::path path = write(R"(name: shop-${ENV:-dev}
x-common: &common
  image: ${REPO}/common:${TAG}
  healthcheck:
    test: ["CMD", "true"]
services:
  web:
    <<: *common
    depends_on: [db, cache]
  db:
    image: postgres:16
    healthcheck:
      disable: true
  cache:
    build: ./cache
    healthcheck:
      test: ["NONE"]
  job:
    build:
      context: .
    image: ${REPO}/job:$TAG
    unknown_key: {anything: [goes]}
    depends_on:
      db:
        condition: service_healthy
        restart: true
      cache:
      web:
        condition: service_completed_successfully
  plain:
    image: 'busybox:$$not-a-variable'
    healthcheck:
)");
  const auto file = load_compose_file(path, lookup_of({{"REPO", "reg"}, {"TAG", "2.0"}}));
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->name, "shop-dev");
  ASSERT_EQ(file->services.size(), 5u);

  const auto& web = file->services[0];
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.image, "reg/common:2.0");  // Through the `<<:` merge key.
  EXPECT_TRUE(web.has_healthcheck);
  ASSERT_EQ(web.depends_on.size(), 2u);
  EXPECT_EQ(web.depends_on[0].service, "db");
  EXPECT_EQ(web.depends_on[0].condition, "service_started");
  EXPECT_EQ(web.depends_on[1].service, "cache");

  const auto& db = file->services[1];
  EXPECT_EQ(db.image, "postgres:16");
  EXPECT_FALSE(db.has_healthcheck);

  const auto& cache = file->services[2];
  EXPECT_TRUE(cache.has_build);
  EXPECT_EQ(cache.image, "");
  EXPECT_EQ(cache.image_template, "");
  EXPECT_FALSE(cache.has_healthcheck);

  const auto& job = file->services[3];
  EXPECT_TRUE(job.has_build);
  EXPECT_EQ(job.image, "reg/job:2.0");
  EXPECT_EQ(job.image_template, "${REPO}/job:$TAG");
  ASSERT_EQ(job.depends_on.size(), 3u);
  EXPECT_EQ(job.depends_on[0].service, "db");
  EXPECT_EQ(job.depends_on[0].condition, "service_healthy");
  EXPECT_EQ(job.depends_on[1].service, "cache");
  EXPECT_EQ(job.depends_on[1].condition, "service_started");
  EXPECT_EQ(job.depends_on[2].service, "web");
  EXPECT_EQ(job.depends_on[2].condition, "service_completed_successfully");

  const auto& plain = file->services[4];
  EXPECT_EQ(plain.image, "busybox:$not-a-variable");
  EXPECT_FALSE(plain.has_healthcheck);  // An empty healthcheck: turns nothing on.

  const auto order = start_order(*file);
  ASSERT_TRUE(order) << order.error().message;
  EXPECT_EQ(*order, (std::vector<std::string>{"db", "cache", "web", "job", "plain"}));
}

TEST_F(ComposeFileTest, OnlyInterpolatesTheFieldsItReads) {
  // A malformed expression in a field wharf does not read is compose's to report.
  const fs::path path = write(R"(services:
  app:
    image: app:1
    command: echo $
    environment:
      X: ${broken
)");
  const auto file = load_compose_file(path, no_variables);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->services[0].image, "app:1");
}

TEST_F(ComposeFileTest, ASyntaxErrorNamesLineAndColumn) {
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n   build: b\n"),
            p() + ":4:4: is not valid YAML: end of map not found — fix the syntax there");
  EXPECT_EQ(error_of("services:\n  app:\n    image: a: b\n"),
            p() + ":3:13: is not valid YAML: illegal map value — fix the syntax there");
  // An unclosed flow list is only noticed at the end of the file.
  EXPECT_EQ(error_of("services:\n  app:\n    image: [a,\n  b: c\n"),
            p() + ":5:1: is not valid YAML: end of sequence flow not found — fix the syntax there");
}

TEST_F(ComposeFileTest, TheShapeOfTheFileIsChecked) {
  EXPECT_EQ(error_of("- a\n- b\n"),
            p() + ": is not a compose file — it must be a YAML mapping with a services: section");
  EXPECT_EQ(error_of(""),
            p() + ": is not a compose file — it must be a YAML mapping with a services: section");
  EXPECT_EQ(error_of("version: '3'\nvolumes: {}\n"),
            p() + ": has no services: section — list the stack's containers under services:");
  EXPECT_EQ(error_of("name: x\nservices: [app]\n"),
            p() +
                ":2: services: is not a mapping of service names to services — write each service "
                "as \"name:\" with its settings indented below");
  EXPECT_EQ(error_of("services:\n  app: busybox\n"),
            p() +
                ":2: service \"app\" is not a mapping — give it its settings (image:, build:, …) "
                "indented below its name");
  EXPECT_EQ(error_of("services:\n  app:\n"),
            p() +
                ":2: service \"app\" is not a mapping — give it its settings (image:, build:, …) "
                "indented below its name");
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n  app:\n    image: b\n"),
            p() +
                ":4: services: sets \"app\" a second time (first on line 2) — compose refuses "
                "that; keep one of them");
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n    image: b\n"),
            p() +
                ":4: service \"app\" sets \"image\" a second time (first on line 3) — compose "
                "refuses that; keep one of them");
  EXPECT_EQ(error_of("name: [a]\nservices: {}\n"),
            p() + ":1: name is not a string — write the project name as text");
}

TEST_F(ComposeFileTest, ImagesAreChecked) {
  EXPECT_EQ(error_of("services:\n  app:\n    image:\n      repo: x\n"),
            p() +
                ":3: services.app.image is not a string — write the image reference as text, "
                "e.g. image: registry.example/app:1.0");
  EXPECT_EQ(error_of("services:\n  db:\n    image: a\n  app:\n    restart: always\n"),
            p() + ":4: service \"app\" has neither image nor build — give it an image");
  EXPECT_EQ(error_of("services:\n  app:\n    image: ~\n"),
            p() + ":2: service \"app\" has neither image nor build — give it an image");
  EXPECT_EQ(error_of("services:\n  app:\n    image: ${APP_IMAGE}\n"),
            p() +
                ":3: services.app.image \"${APP_IMAGE}\" is empty after interpolation — give "
                "APP_IMAGE a value in the .env file or the environment");
  EXPECT_EQ(error_of("services:\n  app:\n    image: ${APP_IMAGE:?set APP_IMAGE in docker/.env}\n"),
            p() +
                ":3: services.app.image: required variable APP_IMAGE is missing a value: set "
                "APP_IMAGE in docker/.env");
  EXPECT_EQ(error_of("services:\n  app:\n    image: app:${TAG\n"),
            p() +
                ":3: services.app.image: invalid interpolation in \"app:${TAG\": the ${ at "
                "character 5 is never closed with } — write a literal $ as $$");
  EXPECT_EQ(error_of("name: ${N:?name it}\nservices: {}\n"),
            p() + ":1: name: required variable N is missing a value: name it");
}

TEST_F(ComposeFileTest, AnImageThatInterpolatesToNothingIsFineWithABuild) {
  const fs::path path = write("services:\n  app:\n    build: .\n    image: ${APP_IMAGE}\n");
  const auto file = load_compose_file(path, no_variables);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->services[0].image, "");
  EXPECT_EQ(file->services[0].image_template, "${APP_IMAGE}");
}

TEST_F(ComposeFileTest, DependsOnAndHealthcheckAreChecked) {
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n    depends_on: db\n"),
            p() +
                ":4: services.app.depends_on is neither a list of service names nor a mapping "
                "from service names to conditions — write e.g. depends_on: [db] or depends_on: "
                "{db: {condition: service_healthy}}");
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n    depends_on:\n      - {db: x}\n"),
            p() +
                ":5: services.app.depends_on lists something that is not a service name — write "
                "one name per item");
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n    depends_on:\n      db: healthy\n"),
            p() +
                ":5: services.app.depends_on.db is not a mapping — write its settings below it, "
                "e.g. condition: service_started");
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n    depends_on:\n      db:\n"
                     "        condition: service_ready\n"),
            p() +
                ":6: services.app.depends_on.db.condition is \"service_ready\", but compose knows "
                "only service_started, service_healthy and service_completed_successfully");
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n    healthcheck: [x]\n"),
            p() +
                ":4: services.app.healthcheck is not a mapping — write its settings (test:, "
                "interval:, …) below it");
  EXPECT_EQ(error_of("services:\n  app:\n    image: a\n    healthcheck:\n      disable: maybe\n"),
            p() + ":5: services.app.healthcheck.disable must be true or false");
}

TEST_F(ComposeFileTest, UnreadableFilesGiveTheOperatingSystemsReason) {
  const auto missing = load_compose_file(dir_.path() / "absent.yaml", no_variables);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_THAT(missing.error().message, HasSubstr((dir_.path() / "absent.yaml").string()));

  if (::geteuid() == 0) {
    // root reads a mode-000 file anyway; a directory is unreadable to everyone.
    const auto directory = load_compose_file(dir_.path(), no_variables);
    ASSERT_FALSE(directory);
    EXPECT_EQ(directory.error().kind, ErrorKind::io);
    EXPECT_THAT(directory.error().message, HasSubstr(dir_.path().string()));
    return;
  }
  const fs::path locked = write("services: {}\n");
  ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
  const auto refused = load_compose_file(locked, no_variables);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::permission);
  EXPECT_THAT(refused.error().message, HasSubstr(locked.string()));
}

TEST_F(ComposeFileTest, FindsTheFileComposeWouldPick) {
  EXPECT_EQ(find_compose_file(dir_.path()), std::nullopt);
  EXPECT_EQ(find_compose_file(dir_.path() / "absent"), std::nullopt);
  const std::vector<std::string> by_preference = {"docker-compose.yml", "docker-compose.yaml",
                                                  "compose.yml", "compose.yaml"};
  for (const auto& name : by_preference) {
    write("services: {}\n", name);
    EXPECT_EQ(find_compose_file(dir_.path()), dir_.path() / name) << "after adding " << name;
  }
  EXPECT_EQ(find_compose_file(source_dir / "docker"), source_dir / "docker/docker-compose.yml");
}

}  // namespace
}  // namespace wharf::stack
