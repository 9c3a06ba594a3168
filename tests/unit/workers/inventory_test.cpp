#include "wharf/workers/inventory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::workers {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kSource = "/srv/app/docker/workers.json";

TEST(Inventory, ParsesEveryKindWithDefaultsAndRelativePaths) {
  const auto inventory = parse_inventory(R"({"workers": [
    {"name": "here", "host": "local", "slots": 2},
    {"name": "tcp-1", "host": "tcp://127.0.0.1:2375"},
    {"name": "build-2", "host": "ssh://deploy@10.0.0.5:2222", "slots": 4,
     "socket": "/run/docker.sock", "known_hosts": "known_hosts",
     "identity_file": "~/.ssh/id_deploy", "labels": {"disk": "ssd"}},
    {"name": "build-3", "host": "build-3"}
  ]})",
                                         kSource);
  ASSERT_TRUE(inventory) << inventory.error().message;
  ASSERT_EQ(inventory->workers.size(), 4U);
  const auto& here = inventory->workers[0];
  EXPECT_EQ(here.kind, WorkerKind::local);
  EXPECT_EQ(here.slots, 2U);
  const auto& tcp = inventory->workers[1];
  EXPECT_EQ(tcp.kind, WorkerKind::engine);
  ASSERT_TRUE(tcp.engine);
  EXPECT_EQ(tcp.engine->port, 2375);
  EXPECT_EQ(tcp.slots, 1U);
  const auto& build2 = inventory->workers[2];
  EXPECT_EQ(build2.kind, WorkerKind::ssh);
  ASSERT_TRUE(build2.ssh);
  EXPECT_EQ(build2.ssh->user, "deploy");
  EXPECT_EQ(build2.ssh->host, "10.0.0.5");
  EXPECT_EQ(build2.ssh->port, 2222);
  EXPECT_EQ(build2.remote_socket, "/run/docker.sock");
  EXPECT_EQ(build2.known_hosts, std::filesystem::path("/srv/app/docker/known_hosts"));
  EXPECT_EQ(build2.identity_file, std::filesystem::path("~/.ssh/id_deploy"));
  EXPECT_EQ(build2.labels.at("disk"), "ssd");
  const auto& build3 = inventory->workers[3];
  EXPECT_EQ(build3.kind, WorkerKind::ssh);
  EXPECT_EQ(build3.ssh->host, "build-3");
  EXPECT_FALSE(build3.ssh->port);
  EXPECT_EQ(build3.remote_socket, "/var/run/docker.sock");
}

struct BadInventory {
  const char* what;
  const char* json;
  const char* message_part;
};

class InventoryRejects : public ::testing::TestWithParam<BadInventory> {};

TEST_P(InventoryRejects, WithASentenceNamingTheProblem) {
  const auto& bad = GetParam();
  const auto inventory = parse_inventory(bad.json, kSource);
  ASSERT_FALSE(inventory) << bad.what;
  EXPECT_EQ(inventory.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(inventory.error().message, HasSubstr(kSource.string())) << bad.what;
  EXPECT_THAT(inventory.error().message, HasSubstr(bad.message_part)) << bad.what;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, InventoryRejects,
    ::testing::Values(
        BadInventory{"syntax", "{\"workers\": [\n  {\"name\": \"a\",, }]}", "line 2, column"},
        BadInventory{"not an object", "[1, 2]", "\"workers\" array"},
        BadInventory{"no workers", R"({"workers": []})", "lists no worker"},
        BadInventory{"extra top-level field",
                     R"({"workers": [{"name":"a","host":"local"}], "x": 1})",
                     "besides \"workers\""},
        BadInventory{"duplicate name",
                     R"({"workers": [{"name":"a","host":"local"},{"name":"a","host":"h"}]})",
                     "worker 2 reuses the name \"a\""},
        BadInventory{"missing host", R"({"workers": [{"name":"a"}]})",
                     "worker 1 (\"a\") has no \"host\""},
        BadInventory{"missing name", R"({"workers": [{"host":"local"}]})",
                     "worker 1 has no \"name\""},
        BadInventory{"bad name", R"({"workers": [{"name":"a b","host":"local"}]})",
                     "letters, digits"},
        BadInventory{"bad url scheme", R"({"workers": [{"name":"a","host":"http://x"}]})",
                     "none of: local"},
        BadInventory{"bad port", R"({"workers": [{"name":"a","host":"ssh://h:99999"}]})",
                     "has the host \"ssh://h:99999\""},
        BadInventory{"bad tcp", R"({"workers": [{"name":"a","host":"tcp://"}]})",
                     "not a valid engine address"},
        BadInventory{"zero slots", R"({"workers": [{"name":"a","host":"local","slots":0}]})",
                     "from 1 to 1024"},
        BadInventory{"string slots", R"({"workers": [{"name":"a","host":"local","slots":"2"}]})",
                     "\"slots\": \"2\""},
        BadInventory{"typo field", R"({"workers": [{"name":"a","host":"local","slot":2}]})",
                     "unknown field \"slot\""},
        BadInventory{"socket on local",
                     R"({"workers": [{"name":"a","host":"local","socket":"/x.sock"}]})",
                     "only applies to an SSH worker"},
        BadInventory{"relative socket",
                     R"({"workers": [{"name":"a","host":"ssh://h","socket":"x.sock"}]})",
                     "absolute path"},
        BadInventory{"label not string",
                     R"({"workers": [{"name":"a","host":"local","labels":{"k":1}}]})",
                     "label \"k\""}));

TEST(Inventory, MissingFileSaysHowToCreateOne) {
  const auto inventory = load_inventory("/nonexistent/workers.json");
  ASSERT_FALSE(inventory);
  EXPECT_EQ(inventory.error().kind, ErrorKind::not_found);
  EXPECT_THAT(inventory.error().message, HasSubstr("--workers FILE"));
}

}  // namespace
}  // namespace wharf::workers
