#include "wharf/runtime/container_status.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wharf/runtime/timestamps.hpp"

namespace wharf::runtime {
namespace {

using std::chrono::system_clock;

system_clock::time_point at(const char* rfc3339) {
  return system_clock::time_point(std::chrono::nanoseconds(*parse_rfc3339(rfc3339)));
}

// The parts of an engine 20.10 inspect answer that status reads.
nlohmann::json inspect(const char* state, const char* network_mode = "none") {
  return nlohmann::json::parse(R"({
    "Id": "0123456789abcdef",
    "Name": "/shop-web-1",
    "Image": "sha256:aaaa",
    "RestartCount": 2,
    "State": {"Status": ")" + std::string(state) +
                               R"(", "ExitCode": 0,
              "StartedAt": "2024-05-01T12:00:00.5Z", "FinishedAt": "0001-01-01T00:00:00Z"},
    "Config": {"Image": "registry.local/shop/web:1.2.0",
               "Labels": {"com.docker.compose.container-number": "3"}},
    "HostConfig": {"NetworkMode": ")" +
                               std::string(network_mode) + R"(",
                   "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}},
    "NetworkSettings": {"Ports": {}}
  })");
}

TEST(ContainerStatusTest, ReadsARunningContainerWithoutHealthcheck) {
  auto json = inspect("running");
  json["NetworkSettings"]["Ports"] = nlohmann::json::parse(
      R"({"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}], "9000/udp": null})");
  const auto status = container_status_from(json, at("2024-05-01T14:05:03Z"));
  EXPECT_EQ(status.name, "shop-web-1");
  EXPECT_EQ(status.number, 3);
  EXPECT_EQ(status.state, "running");
  EXPECT_EQ(status.health, "none");
  EXPECT_EQ(status.image, "registry.local/shop/web:1.2.0");
  EXPECT_EQ(status.image_id, "sha256:aaaa");
  EXPECT_EQ(status.restart_count, 2);
  ASSERT_TRUE(status.uptime.has_value());
  EXPECT_EQ(status.uptime->count(), 2 * 3600 + 5 * 60 + 2);  // From 12:00:00.5, whole seconds.
  EXPECT_EQ(status.started_at, "2024-05-01T12:00:00.5Z");
  // Only published ports: 9000/udp is exposed, not published.
  EXPECT_EQ(status.ports_text(), "0.0.0.0:8080->80/tcp");
  EXPECT_TRUE(status.ok());
}

TEST(ContainerStatusTest, HealthDecidesWhetherARunningContainerIsOk) {
  auto json = inspect("running");
  json["State"]["Health"] = {{"Status", "unhealthy"}, {"FailingStreak", 3}};
  const auto unhealthy = container_status_from(json, at("2024-05-01T12:00:10Z"));
  EXPECT_EQ(unhealthy.health, "unhealthy");
  EXPECT_FALSE(unhealthy.ok());
  json["State"]["Health"]["Status"] = "starting";
  EXPECT_FALSE(container_status_from(json, at("2024-05-01T12:00:10Z")).ok());
  json["State"]["Health"]["Status"] = "healthy";
  EXPECT_TRUE(container_status_from(json, at("2024-05-01T12:00:10Z")).ok());
}

TEST(ContainerStatusTest, AStoppedContainerHasNoUptimeAndShowsItsConfiguredPorts) {
  auto json = inspect("exited");
  json["State"]["ExitCode"] = 3;
  const auto status = container_status_from(json, at("2024-05-01T12:00:10Z"));
  EXPECT_EQ(status.state, "exited");
  EXPECT_EQ(status.exit_code, 3);
  EXPECT_FALSE(status.uptime.has_value());
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.ports_text(), "8080->80/tcp");
}

TEST(ContainerStatusTest, HostNetworkIsReportedInsteadOfPorts) {
  const auto status = container_status_from(inspect("running", "host"), at("2024-05-01T12:00:10Z"));
  EXPECT_TRUE(status.host_network);
  EXPECT_TRUE(status.ports.empty());
  EXPECT_EQ(status.ports_text(), "host");
}

TEST(ContainerStatusTest, ANeverStartedContainerHasNoStartTime) {
  auto json = inspect("created");
  json["State"]["StartedAt"] = "0001-01-01T00:00:00Z";
  const auto status = container_status_from(json, at("2024-05-01T12:00:10Z"));
  EXPECT_EQ(status.started_at, "");
  EXPECT_FALSE(status.uptime.has_value());
}

TEST(ContainerStatusTest, MissingFieldsReadAsEmpty) {
  const auto status = container_status_from(nlohmann::json::object(), system_clock::now());
  EXPECT_EQ(status.state, "");
  EXPECT_EQ(status.health, "none");
  EXPECT_EQ(status.ports_text(), "");
  EXPECT_FALSE(status.ok());
}

}  // namespace
}  // namespace wharf::runtime
