// The part of compose wharf up and wharf config run a stack with: everything else is refused,
// naming file, line, service and key; the reading commands stay lenient.
#include "wharf/stack/supported_keys.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "wharf/stack/compose_file.hpp"

#include "support/peers.hpp"

namespace wharf::stack {
namespace {

VariableLookup lookup_nothing() {
  return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

class SupportedKeys : public ::testing::Test {
 protected:
  Result<ComposeFile> load(const std::string& text, ComposeReading reading) {
    const auto path = dir_.path() / "compose.yaml";
    test::write_file(path, text);
    return load_compose_file(path, lookup_nothing(), reading);
  }

  // The strict refusal of `text`, after checking the lenient reading accepts it.
  std::string refusal(const std::string& text) {
    auto lenient = load(text, ComposeReading::lenient);
    EXPECT_TRUE(lenient) << lenient.error().message;
    auto strict = load(text, ComposeReading::strict);
    EXPECT_FALSE(strict) << text;
    if (strict) {
      return {};
    }
    EXPECT_EQ(strict.error().kind, ErrorKind::invalid_input);
    return strict.error().message;
  }

  test::TempDir dir_;
};

TEST_F(SupportedKeys, EveryKeyOfTheListIsAccepted) {
  const auto file = load(R"(name: shop
version: "3.9"
x-defaults: &defaults
  restart: unless-stopped
  logging: {driver: json-file}
services:
  db:
    <<: *defaults
    image: postgres:16
    environment: {POSTGRES_PASSWORD: example}
    env_file: [db.env]
    volumes: [data:/var/lib/postgresql/data, ./init:/docker-entrypoint-initdb.d:ro]
    tmpfs: [/run]
    healthcheck: {test: [CMD, pg_isready], interval: 200ms}
    stop_signal: SIGINT
    stop_grace_period: 30s
    shm_size: 128m
    ulimits: {nofile: 65536}
    x-note: kept
  app:
    image: app:1
    build: .
    command: [serve]
    entrypoint: [/init]
    ports: ["8080:80"]
    networks: {front: {aliases: [web]}}
    labels: {team: shop}
    user: "1000"
    working_dir: /srv
    hostname: app
    extra_hosts: ["db.local:127.0.0.1"]
    depends_on: {db: {condition: service_healthy}}
    init: true
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    devices: ["/dev/null:/dev/null"]
    deploy: {resources: {limits: {cpus: "0.5", memory: 256m}}}
    profiles: [web]
    container_name: shop-app
  cache:
    image: redis:7
    network_mode: host
volumes:
  data: {}
networks:
  front: {}
x-anything: {}
)",
                         ComposeReading::strict);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->services.size(), 3U);
  EXPECT_TRUE(std::ranges::is_sorted(supported_service_keys()));
}

TEST_F(SupportedKeys, AnUnsupportedServiceKeyNamesFileLineServiceAndKey) {
  const auto message = refusal("services:\n  app:\n    image: app:1\n    secrets: [token]\n");
  EXPECT_EQ(message.rfind((dir_.path() / "compose.yaml").string() + ":4: service app: \"secrets\" "
                                                                    "is not supported by wharf up",
                          0),
            0U)
      << message;
  EXPECT_NE(message.find("run this stack with docker compose"), std::string::npos);
  EXPECT_NE(message.find("working_dir"), std::string::npos) << "it lists what is supported";
}

TEST_F(SupportedKeys, UnsupportedTopLevelDeployAndMergedKeysAreRefused) {
  EXPECT_NE(refusal("services:\n  app: {image: app:1}\nconfigs: {}\n")
                .find(":3: the top-level key \"configs\""),
            std::string::npos);
  EXPECT_NE(refusal("services:\n  app:\n    image: app:1\n    deploy: {replicas: 2}\n")
                .find(":4: service app: \"deploy.replicas\" is not supported"),
            std::string::npos);
  EXPECT_NE(refusal("services:\n  app:\n    image: app:1\n    deploy:\n      resources:\n"
                    "        reservations: {memory: 1g}\n")
                .find(":6: service app: \"deploy.resources.reservations\""),
            std::string::npos);
  EXPECT_NE(refusal("services:\n  app:\n    image: app:1\n    deploy:\n      resources:\n"
                    "        limits: {pids: 10}\n")
                .find("\"deploy.resources.limits.pids\""),
            std::string::npos);
  // Whole services merged in are not read at all, strict or not, and say so.
  const auto merged_services =
      load("x-more: &more\n  db: {image: db:1}\nservices:\n  <<: *more\n  app: {image: app:1}\n",
           ComposeReading::lenient);
  ASSERT_FALSE(merged_services);
  EXPECT_NE(merged_services.error().message.find(
                ":4: services: merges whole services in with <<:, which wharf does not read"),
            std::string::npos)
      << merged_services.error().message;
  // A key that comes in through a merge is refused where it is written.
  EXPECT_NE(refusal("x-base: &base\n  privileged: true\nservices:\n  app:\n    <<: *base\n"
                    "    image: app:1\n")
                .find(":2: service app: \"privileged\""),
            std::string::npos);
}

}  // namespace
}  // namespace wharf::stack
