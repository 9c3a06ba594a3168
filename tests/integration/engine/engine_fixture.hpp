#pragma once

// Shared setup for the engine integration tests: a client of the private test engine and a
// label unique to each test, by which every container the test creates is removed again —
// in TearDown, so also when the test failed halfway.

#include <chrono>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "wharf/connect/engine_route.hpp"
#include "wharf/engine/engine_client.hpp"

#include "support/peers.hpp"

namespace wharf::engine::test {

inline constexpr const char* kTestLabel = "wharf.test.engine";
inline constexpr const char* kWorkerImage = "wharf/worker:dev";

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto address = wharf::test::peer_env("WHARF_TEST_DOCKER_HOST");
    ASSERT_FALSE(HasFailure());
    auto host = parse_docker_host(address, "WHARF_TEST_DOCKER_HOST");
    ASSERT_TRUE(host.has_value()) << host.error().message;
    host_ = *host;
    auto client = connect::connect_engine(host_);
    ASSERT_TRUE(client.has_value()) << client.error().message;
    client_.emplace(std::move(*client));
    std::random_device random;
    run_id_ = std::to_string(::getpid()) + "-" + std::to_string(random());
  }

  void TearDown() override {
    if (!client_) {
      return;
    }
    auto leftovers = client_->container_list(ContainerListOptions{true, labels(), {}});
    ASSERT_TRUE(leftovers.has_value()) << leftovers.error().message;
    for (const auto& container : *leftovers) {
      auto removed = client_->container_remove(container.id);
      EXPECT_TRUE(removed.has_value()) << removed.error().message;
    }
  }

  /// The labels that mark this test's containers.
  [[nodiscard]] std::map<std::string, std::string> labels() const {
    return {{kTestLabel, run_id_}};
  }

  /// A container spec running `cmd` in the worker image, labelled for cleanup.
  [[nodiscard]] ContainerSpec spec(std::vector<std::string> cmd) const {
    ContainerSpec spec;
    spec.image = kWorkerImage;
    spec.cmd = std::move(cmd);
    spec.labels = labels();
    return spec;
  }

  /// Creates and starts a container; returns its ID ("" after recording a failure).
  [[nodiscard]] std::string run(const ContainerSpec& container) {
    auto created = client_->container_create(container);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    if (!created) {
      return {};
    }
    auto started = client_->container_start(created->id);
    EXPECT_TRUE(started.has_value()) << started.error().message;
    return created->id;
  }

  DockerHost host_;
  std::optional<EngineClient> client_;
  std::string run_id_;
};

[[nodiscard]] inline std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace wharf::engine::test
