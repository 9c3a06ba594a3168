#pragma once

// Shared by the remote-worker tests: a project pinned to the registry's worker image, an
// inventory over the local engine and the two SSH hosts of the harness (each fronting its own
// dockerd), wharf run with its own HOME and no agent, and a sweep of whatever a test left.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wharf/backends/engine/engine_worker.hpp"
#include "wharf/connect/engine_route.hpp"
#include "wharf/engine/engine_client.hpp"

#include "integration/ssh/ssh_fixture.hpp"
#include "support/peers.hpp"

namespace wharf::workers::test {

using wharf::test::read_file;
using wharf::test::write_file;

inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

class WorkersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = ssh::test::ssh_peer('A');
    b_ = ssh::test::ssh_peer('B');
    image_ = wharf::test::peer_env("WHARF_TEST_WORKER_REPO") + ":1.1.0";
    for (const char* name :
         {"WHARF_TEST_DOCKER_HOST", "WHARF_TEST_DOCKER_HOST_A", "WHARF_TEST_DOCKER_HOST_B"}) {
      hosts_.push_back(wharf::test::peer_env(name));
    }
    ASSERT_FALSE(HasFailure());
    for (const auto& address : hosts_) {
      auto host = engine::parse_docker_host(address, "peer");
      ASSERT_TRUE(host) << host.error().message;
      auto client = connect::connect_engine(*host);
      ASSERT_TRUE(client) << client.error().message;
      engines_.push_back(std::move(*client));
    }
    std::filesystem::create_directories(project_.path() / "docker");
    const auto colon = image_.rfind(':');
    write_file(project_.path() / "docker" / ".env",
               "WORKER_IMAGE=" + image_.substr(0, colon) + "\nIMAGE_TAG=1.1.0\n");
    remove_pinned_image();
  }

  void TearDown() override {
    for (auto& engine : engines_) {
      for (const auto& run : runs_) {
        (void)backends::remove_run_containers(engine, run);
      }
      // Also the task containers of a run whose id a failed assertion kept from runs_ (a
      // host lost mid-run leaves some by design): every container of the pinned image here
      // is one of this test's.
      engine::ContainerListOptions options;
      options.labels = {{std::string(backends::kRunLabel), ""}};
      if (auto left = engine.container_list(options)) {
        for (const auto& container : *left) {
          if (container.image == image_) {
            (void)engine.container_remove(container.id);
          }
        }
      }
    }
    // The registry's image is absent from every engine at the start of every test.
    remove_pinned_image();
  }

  void remove_pinned_image() {
    for (auto& engine : engines_) {
      (void)engine.image_remove(image_);
    }
  }

  [[nodiscard]] static nlohmann::json ssh_worker(const std::string& name,
                                                 const ssh::test::SshPeer& peer,
                                                 const std::string& host, std::uint16_t port,
                                                 const std::filesystem::path& known_hosts,
                                                 std::size_t slots) {
    return {{"name", name},
            {"host", "ssh://" + peer.user + "@" + host + ":" + std::to_string(port)},
            {"socket", peer.docker_socket},
            {"known_hosts", known_hosts.string()},
            {"identity_file", peer.key.string()},
            {"slots", slots}};
  }
  [[nodiscard]] nlohmann::json worker_a(std::size_t slots = 2) const {
    return ssh_worker("a", a_, a_.host, a_.port, a_.known_hosts, slots);
  }
  [[nodiscard]] nlohmann::json worker_b(std::size_t slots = 2) const {
    // Host b is checked against the hashed known_hosts, as most distributions write it.
    return ssh_worker("b", b_, b_.host, b_.port, b_.known_hosts_hashed, slots);
  }
  [[nodiscard]] static nlohmann::json local_worker(std::size_t slots = 2) {
    return {{"name", "here"}, {"host", "local"}, {"slots", slots}};
  }

  void write_inventory(const std::vector<nlohmann::json>& workers) {
    write_file(project_.path() / "docker" / "workers.json",
               nlohmann::json{{"workers", workers}}.dump(2));
  }

  /// Runs wharf in the project with the local engine peer, no ssh-agent and a HOME of its
  /// own, so the machine's ~/.ssh cannot change a result.
  [[nodiscard]] wharf::test::CommandOutput wharf(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-C", project_.path().string()});
    return wharf::test::run_wharf(args, project_.path(),
                                  {{"DOCKER_HOST", hosts_[0]},
                                   {"SSH_AUTH_SOCK", ""},
                                   {"HOME", (project_.path() / "home").string()},
                                   {"TASK_EXECUTOR_IMAGE", ""}});
  }

  [[nodiscard]] std::filesystem::path path(const std::string& name) const {
    return project_.path() / name;
  }

  /// Containers of `run_id` on every engine.
  [[nodiscard]] std::size_t containers_of(const std::string& run_id) {
    std::size_t count = 0;
    for (auto& engine : engines_) {
      engine::ContainerListOptions options;
      options.labels = {{std::string(backends::kRunLabel), run_id}};
      auto list = engine.container_list(options);
      EXPECT_TRUE(list) << list.error().message;
      count += list ? list->size() : 0;
    }
    return count;
  }

  ssh::test::SshPeer a_;
  ssh::test::SshPeer b_;
  std::string image_;
  std::vector<std::string> hosts_;  // local, a, b
  std::vector<engine::EngineClient> engines_;
  std::vector<std::string> runs_;
  wharf::test::TempDir project_;
};

}  // namespace wharf::workers::test
