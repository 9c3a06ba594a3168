// `wharf workers check` and `pull`: a missing image and its fix, host keys (changed, unknown,
// accepted), an ssh_config alias, drift and disagreement, a bad inventory.
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/workers/workers_fixture.hpp"
#include "support/spawn.hpp"

namespace wharf::workers::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using wharf::test::json_lines;

TEST_F(WorkersTest, CheckReportsAMissingImageAndPullFixesIt) {
  write_inventory({local_worker(1), worker_a(1), worker_b(1)});
  const auto before = wharf({"--json", "workers", "check"});
  EXPECT_EQ(before.exit_code, 1) << before.err;
  const auto report = nlohmann::json::parse(before.out);
  ASSERT_EQ(report.at("workers").size(), 3U);
  for (const auto& worker : report.at("workers")) {
    EXPECT_TRUE(worker.at("reachable").get<bool>()) << worker.dump();
    EXPECT_FALSE(worker.at("image_present").get<bool>()) << worker.dump();
    EXPECT_FALSE(worker.at("engine_version").is_null());
    EXPECT_THAT(worker.at("problems").at(0).get<std::string>(),
                HasSubstr("run `wharf workers pull`"));
  }
  EXPECT_EQ(report.at("workers").at(1).at("host_key"), "ok");

  const auto pulled = wharf({"workers", "pull"});
  EXPECT_EQ(pulled.exit_code, 0) << pulled.err;
  const auto after = wharf({"--json", "workers", "check"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  const auto fixed = nlohmann::json::parse(after.out);
  std::set<std::string> digests;
  for (const auto& worker : fixed.at("workers")) {
    EXPECT_TRUE(worker.at("image_present").get<bool>()) << worker.dump();
    digests.insert(worker.at("image_digest").get<std::string>());
  }
  EXPECT_EQ(digests.size(), 1U) << "every worker should hold the same manifest";
}

TEST_F(WorkersTest, AChangedHostKeyIsRefusedBeforeAnyCommand) {
  // A known_hosts that records another key for host a: what a man in the middle looks like.
  ssh::test::make_key(path("other_host_key"));
  const auto pub = read_file(path("other_host_key.pub"));
  write_file(path("wrong_known_hosts"), "[" + a_.host + "]:" + std::to_string(a_.port) + " " +
                                            pub.substr(0, pub.find(' ', pub.find(' ') + 1)) + "\n");
  write_inventory(
      {ssh_worker("a", a_, a_.host, a_.port, path("wrong_known_hosts"), 1), worker_b(1)});
  const auto log_path = wharf::test::peer_env("WHARF_TEST_SSH_LOG_A");
  const auto logins_before = count_of(read_file(log_path), "Accepted publickey");

  const auto checked = wharf({"--json", "workers", "check"});
  EXPECT_EQ(checked.exit_code, 1) << checked.err;
  const auto report = nlohmann::json::parse(checked.out);
  const auto& a = report.at("workers").at(0);
  EXPECT_FALSE(a.at("reachable").get<bool>());
  EXPECT_EQ(a.at("host_key"), "refused");
  EXPECT_THAT(a.at("problems").at(0).get<std::string>(), HasSubstr("wrong_known_hosts"));
  EXPECT_TRUE(report.at("workers").at(1).at("reachable").get<bool>()) << "b must carry on";

  write_file(path("tasks.jsonl"), R"({"id": "x", "args": ["true"]})"
                                  "\n");
  write_inventory({ssh_worker("a", a_, a_.host, a_.port, path("wrong_known_hosts"), 1)});
  const auto dispatched = wharf(
      {"dispatch", "--workers", "docker/workers.json", "--tasks", path("tasks.jsonl").string()});
  EXPECT_EQ(dispatched.exit_code, 3) << dispatched.err;
  EXPECT_THAT(dispatched.err, HasSubstr("worker a"));
  std::this_thread::sleep_for(200ms);  // sshd logs a login just after it happens.
  EXPECT_EQ(count_of(read_file(log_path), "Accepted publickey"), logins_before)
      << "wharf logged in although the host key was wrong";
}

TEST_F(WorkersTest, AWorkerMayBeAnSshConfigAlias) {
  std::filesystem::create_directories(path("home/.ssh"));
  write_file(path("home/.ssh/config"),
             "Host wharf-a\n  HostName " + a_.host + "\n  Port " + std::to_string(a_.port) +
                 "\n  User " + a_.user + "\n  IdentityFile " + a_.key.string() +
                 "\n  UserKnownHostsFile " + a_.known_hosts.string() + "\n  IdentitiesOnly yes\n");
  write_inventory({{{"name", "a"}, {"host", "wharf-a"}, {"socket", a_.docker_socket}}});
  const auto checked = wharf({"--json", "workers", "check"});
  const auto report = nlohmann::json::parse(checked.out);
  const auto& a = report.at("workers").at(0);
  EXPECT_TRUE(a.at("reachable").get<bool>()) << checked.err;
  EXPECT_EQ(a.at("address"), "ssh://" + a_.user + "@" + a_.host + ":" + std::to_string(a_.port));
  EXPECT_EQ(a.at("host_key"), "ok");
}

TEST_F(WorkersTest, CheckTellsAnUnknownHostKeyFromARefusedLogin) {
  write_file(path("empty_known_hosts"), "");
  ssh::test::make_key(path("stranger_key"));
  auto stranger = worker_b(1);
  stranger["identity_file"] = path("stranger_key").string();
  write_inventory({ssh_worker("a", a_, a_.host, a_.port, path("empty_known_hosts"), 1), stranger});
  const auto checked = wharf({"--json", "workers", "check"});
  EXPECT_EQ(checked.exit_code, 1) << checked.err;
  const auto report = nlohmann::json::parse(checked.out);
  const auto& a = report.at("workers").at(0);
  EXPECT_FALSE(a.at("reachable").get<bool>());
  EXPECT_EQ(a.at("host_key"), "refused") << a.dump();
  EXPECT_THAT(a.at("problems").at(0).get<std::string>(), HasSubstr("--accept-new-host-keys"));
  const auto& b = report.at("workers").at(1);
  EXPECT_FALSE(b.at("reachable").get<bool>());
  EXPECT_EQ(b.at("host_key"), "ok") << "the key was verified before the login was refused";
  // With the flag the unknown key is accepted, and recorded in the user's known_hosts, not
  // in the inventory's file.
  const auto accepted = wharf({"--json", "workers", "check", "--accept-new-host-keys"});
  EXPECT_EQ(nlohmann::json::parse(accepted.out).at("workers").at(0).at("host_key"), "ok")
      << accepted.err;
  EXPECT_EQ(read_file(path("empty_known_hosts")), "");
  EXPECT_THAT(read_file(path("home/.ssh/known_hosts")), HasSubstr(a_.host));
}

TEST_F(WorkersTest, CheckReportsTaskContainersOnAnotherImageAndWorkersThatDisagree) {
  write_inventory({worker_a(2), worker_b(2)});
  ASSERT_EQ(wharf({"workers", "pull"}).exit_code, 0);
  // On b, a task container of an older release still runs.
  const auto old_image = image_.substr(0, image_.rfind(':')) + ":1.0.0";
  auto& b = engines_[2];
  ASSERT_TRUE(b.image_pull(old_image));
  engine::ContainerSpec spec;
  spec.image = old_image;
  spec.cmd = {"sleep", "60"};
  spec.labels = {{std::string(backends::kRunLabel), "old-run"}};
  auto created = b.container_create(spec);
  ASSERT_TRUE(created) << created.error().message;
  runs_.push_back("old-run");
  ASSERT_TRUE(b.container_start(created->id));
  // On a, the pinned tag names another image than on b.
  auto& a = engines_[1];
  ASSERT_TRUE(a.image_pull(old_image));
  const auto colon = image_.rfind(':');
  auto retagged = a.raw_request(engine::HttpRequest{"POST",
                                                    "/images/" + old_image +
                                                        "/tag?repo=" + image_.substr(0, colon) +
                                                        "&tag=" + image_.substr(colon + 1),
                                                    {},
                                                    {},
                                                    engine::kDefaultCallTimeout});
  ASSERT_TRUE(retagged && retagged->status == 201);

  const auto checked = wharf({"--json", "workers", "check"});
  EXPECT_EQ(checked.exit_code, 1) << checked.err;
  const auto report = nlohmann::json::parse(checked.out);
  const auto& on_b = report.at("workers").at(1);
  ASSERT_EQ(on_b.at("drifted_containers").size(), 1U) << on_b.dump();
  EXPECT_THAT(on_b.at("problems").at(0).get<std::string>(), HasSubstr("another image"));
  EXPECT_EQ(on_b.at("busy"), 1);
  EXPECT_EQ(on_b.at("free_slots"), 1);
  ASSERT_EQ(report.at("problems").size(), 1U) << report.dump();
  EXPECT_THAT(report.at("problems").at(0).get<std::string>(), HasSubstr("different images"));
  (void)a.image_remove(old_image);
  (void)b.container_remove(created->id);
  (void)b.image_remove(old_image);
}

TEST_F(WorkersTest, ABadInventoryIsRefusedBeforeAnyConnection) {
  write_file(project_.path() / "docker" / "workers.json",
             R"({"workers": [{"name": "a", "host": "local"}, {"name": "a", "host": "ssh://x"}]})");
  const auto out = wharf({"workers", "check"});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_THAT(out.err, HasSubstr("reuses the name \"a\""));
  write_file(project_.path() / "docker" / "workers.json",
             R"({"workers": [{"name": "a", "host": "ftp://x"}]})");
  const auto bad_url = wharf({"workers", "check"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_THAT(bad_url.err, HasSubstr("ftp://x"));
}

}  // namespace
}  // namespace wharf::workers::test
