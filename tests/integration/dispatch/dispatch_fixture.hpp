#pragma once

// A temporary wharf project whose docker/.env points the worker at the engine peer's local
// wharf/worker:dev image, plus a client of that engine to look at what wharf left behind.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wharf/backends/engine/engine_worker.hpp"
#include "wharf/connect/engine_route.hpp"
#include "wharf/engine/engine_client.hpp"

#include "support/peers.hpp"

namespace wharf::backends::test {

class DispatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    docker_host_ = wharf::test::peer_env("WHARF_TEST_DOCKER_HOST");
    ASSERT_FALSE(HasFailure());
    std::filesystem::create_directories(project_.path() / "docker");
    wharf::test::write_file(project_.path() / "docker" / ".env",
                            "WORKER_IMAGE=wharf/worker\nIMAGE_TAG=dev\n");
    auto host = engine::parse_docker_host(docker_host_, "WHARF_TEST_DOCKER_HOST");
    ASSERT_TRUE(host) << host.error().message;
    auto client = connect::connect_engine(*host);
    ASSERT_TRUE(client) << client.error().message;
    engine_.emplace(std::move(*client));
  }

  [[nodiscard]] std::map<std::string, std::string> env() const {
    return {{"DOCKER_HOST", docker_host_}, {"TASK_EXECUTOR_IMAGE", ""}};
  }

  /// Runs wharf with -C <project> and DOCKER_HOST pointing at the peer.
  [[nodiscard]] wharf::test::CommandOutput wharf(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-C", project_.path().string()});
    return wharf::test::run_wharf(args, project_.path(), env());
  }

  /// Containers carrying the wharf.run label (with this value, or any value when empty).
  [[nodiscard]] std::vector<engine::ContainerSummary> run_containers(
      const std::string& run_id = "") {
    engine::ContainerListOptions options;
    options.labels = {{std::string(kRunLabel), run_id}};
    auto list = engine_->container_list(options);
    EXPECT_TRUE(list) << list.error().message;
    return list ? *list : std::vector<engine::ContainerSummary>{};
  }

  /// Writes tasks.jsonl: t0…t18 print "out-N" and exit N % 4 (each first running `also`, a
  /// shell snippet, when given), and "slow" sleeps past its 1 s timeout.
  void write_twenty_mixed_tasks(const std::string& also = {}) const {
    const std::string script =
        "echo out-$N; " + (also.empty() ? "" : also + "; ") + "exit $((N % 4))";
    std::string tasks;
    for (int i = 0; i < 19; ++i) {
      tasks += nlohmann::json{{"id", "t" + std::to_string(i)},
                              {"args", {"sh", "-c", script}},
                              {"env", {{"N", std::to_string(i)}}}}
                   .dump() +
               "\n";
    }
    tasks += R"({"id": "slow", "args": ["sleep", "60"], "timeout": 1})"
             "\n";
    wharf::test::write_file(path("tasks.jsonl"), tasks);
  }

  [[nodiscard]] std::filesystem::path path(const std::string& name) const {
    return project_.path() / name;
  }

  std::string docker_host_;
  wharf::test::TempDir project_;
  std::optional<engine::EngineClient> engine_;
};

}  // namespace wharf::backends::test
