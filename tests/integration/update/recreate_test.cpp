// recreate_container(), restore_previous() and discard_previous() against the private engine:
// a container made with the docker CLI the way a user or compose makes one, recreated on the
// next release, every kept setting read back with docker inspect.

#include "wharf/update/recreate.hpp"

#include <chrono>
#include <iostream>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "integration/update/recreate_fixture.hpp"

namespace wharf::update::test {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

std::vector<std::string> strings(const json& array) {
  return array.is_array() ? array.get<std::vector<std::string>>() : std::vector<std::string>{};
}

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

TEST_F(RecreateTest, KeepsEverySettingAndTakesTheNewImagesDefaults) {
  wharf::test::TempDir bind_source;
  const auto name = unique("web");
  const auto volume = unique("data");
  cleanup_->add_volume(volume);
  const auto old_id = run_container(name, {"--network",
                                           "host",
                                           "--env",
                                           "KEEP=override",
                                           "--env",
                                           "EXTRA=1",
                                           "--label",
                                           "com.docker.compose.project=demo",
                                           "--label",
                                           "com.docker.compose.service=web",
                                           "--label",
                                           "mine=yes",
                                           "--volume",
                                           bind_source.path().string() + ":/data:ro",
                                           "--volume",
                                           volume + ":/vol",
                                           "--volume",
                                           "/anon",
                                           "--restart",
                                           "unless-stopped",
                                           "--health-cmd",
                                           "test -d /data",
                                           "--health-interval",
                                           "1s",
                                           "--user",
                                           "65534",
                                           "--workdir",
                                           "/tmp",
                                           "--init",
                                           "--stop-timeout",
                                           "5",
                                           image_v1_,
                                           "sleep",
                                           "600"});
  ASSERT_FALSE(old_id.empty());
  // Data in the anonymous volume must survive the recreation.
  const auto wrote = docker({"exec", "--user", "0", name, "sh", "-c", "echo kept > /anon/file"});
  ASSERT_EQ(wrote.exit_code, 0) << wrote.err;
  const auto old_anon = inspect(name)["Mounts"];

  const auto start = Clock::now();
  auto recreated = recreate_container(*engine_, name, image_v2_);
  ASSERT_TRUE(recreated.has_value()) << recreated.error().message;
  std::cout << "recreate (inspect ×3, create, stop, rename ×2, start): " << ms_since(start)
            << " ms\n";
  EXPECT_EQ(recreated->name, name);
  EXPECT_EQ(recreated->old_id, old_id);
  EXPECT_NE(recreated->new_id, old_id);
  EXPECT_EQ(recreated->old_renamed_to, name + "-wharf-previous");

  const auto now = inspect(name);
  ASSERT_TRUE(now.is_object());
  const auto& config = now["Config"];
  const auto& host = now["HostConfig"];
  EXPECT_EQ(now["Id"], recreated->new_id);
  EXPECT_EQ(now["State"]["Running"], true);
  EXPECT_EQ(config["Image"], image_v2_);

  // Env: the user's values, and VERSION from the new image.
  const auto env = strings(config["Env"]);
  EXPECT_THAT(env, Contains("KEEP=override"));
  EXPECT_THAT(env, Contains("EXTRA=1"));
  EXPECT_THAT(env, Contains("VERSION=2.0.0"));
  EXPECT_THAT(env, Not(Contains("VERSION=1.0.0")));
  EXPECT_THAT(env, Not(Contains("KEEP=image")));
  // Labels: compose's and the user's, and the new image's version label.
  EXPECT_EQ(config["Labels"]["com.docker.compose.project"], "demo");
  EXPECT_EQ(config["Labels"]["com.docker.compose.service"], "web");
  EXPECT_EQ(config["Labels"]["mine"], "yes");
  EXPECT_EQ(config["Labels"]["org.example.version"], "2.0.0");
  EXPECT_EQ(config["Labels"]["org.example.vendor"], "acme");
  // Mounts: the bind, the named volume and the anonymous volume with its data.
  EXPECT_THAT(strings(host["Binds"]), Contains(bind_source.path().string() + ":/data:ro"));
  EXPECT_THAT(strings(host["Binds"]), Contains(volume + ":/vol"));
  std::string anon_volume;
  for (const auto& mount : old_anon) {
    if (mount["Destination"] == "/anon") {
      anon_volume = mount["Name"];
    }
  }
  ASSERT_FALSE(anon_volume.empty());
  cleanup_->add_volume(anon_volume);
  EXPECT_THAT(strings(host["Binds"]), Contains(anon_volume + ":/anon"));
  const auto read = docker({"exec", name, "cat", "/anon/file"});
  EXPECT_EQ(read.out, "kept\n") << read.err;
  // The rest.
  EXPECT_EQ(host["RestartPolicy"]["Name"], "unless-stopped");
  EXPECT_EQ(config["Healthcheck"]["Test"], json::parse(R"(["CMD-SHELL", "test -d /data"])"));
  EXPECT_EQ(config["Healthcheck"]["Interval"], 1000000000);
  EXPECT_EQ(config["User"], "65534");
  EXPECT_EQ(config["WorkingDir"], "/tmp");
  EXPECT_THAT(strings(config["Cmd"]), ElementsAre("sleep", "600"));
  EXPECT_EQ(config["Entrypoint"], nullptr);
  EXPECT_EQ(host["NetworkMode"], "host");
  EXPECT_TRUE(now["NetworkSettings"]["Networks"].contains("host"));
  EXPECT_EQ(host["Init"], true);
  EXPECT_EQ(config["StopTimeout"], 5);

  // The old container waits, stopped, under the reserved name until discarded.
  const auto previous = inspect(old_id);
  EXPECT_EQ(previous["Name"], "/" + name + "-wharf-previous");
  EXPECT_EQ(previous["State"]["Running"], false);
  ASSERT_TRUE(discard_previous(*engine_, *recreated).has_value());
  EXPECT_FALSE(exists(old_id));
  EXPECT_TRUE(discard_previous(*engine_, *recreated).has_value()) << "a second discard";
  EXPECT_FALSE(exists(name + "-wharf-new"));
}

TEST_F(RecreateTest, ImageDefaultsAreNotPinned) {
  const auto name = unique("defaults");
  ASSERT_FALSE(run_container(name, {"--network", "none", "--init", image_v1_}).empty());
  auto recreated = recreate_container(*engine_, name, image_v2_);
  ASSERT_TRUE(recreated.has_value()) << recreated.error().message;
  const auto config = inspect(name)["Config"];
  // The new image's CMD, env and labels, not the old image's copied into the container.
  EXPECT_THAT(strings(config["Cmd"]), ElementsAre("sleep", "1001"));
  EXPECT_THAT(strings(config["Env"]), ElementsAre("VERSION=2.0.0", "KEEP=image"));
  EXPECT_EQ(config["Labels"]["org.example.version"], "2.0.0");
  EXPECT_EQ(config["WorkingDir"], "");
  EXPECT_NE(config["Hostname"], recreated->old_id.substr(0, 12));
}

TEST_F(RecreateTest, RestorePreviousBringsTheOldContainerBackRunning) {
  const auto name = unique("restore");
  const auto old_id =
      run_container(name, {"--network", "none", "--init", "--env", "MODE=old", image_v1_});
  ASSERT_FALSE(old_id.empty());
  auto recreated = recreate_container(*engine_, name, image_v2_);
  ASSERT_TRUE(recreated.has_value()) << recreated.error().message;

  const auto start = Clock::now();
  ASSERT_TRUE(restore_previous(*engine_, *recreated).has_value());
  std::cout << "restore_previous: " << ms_since(start) << " ms\n";
  const auto back = inspect(name);
  EXPECT_EQ(back["Id"], old_id);
  EXPECT_EQ(back["State"]["Running"], true);
  EXPECT_EQ(back["Config"]["Image"], image_v1_);
  EXPECT_FALSE(exists(recreated->new_id));
  EXPECT_FALSE(exists(name + "-wharf-previous"));
  // A rollback that was interrupted can be run again.
  auto again = restore_previous(*engine_, *recreated);
  EXPECT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(inspect(name)["State"]["Running"], true);
}

TEST_F(RecreateTest, AMissingImageChangesNothing) {
  const auto name = unique("missing");
  const auto old_id = run_container(name, {"--network", "none", "--init", image_v1_});
  ASSERT_FALSE(old_id.empty());
  auto recreated = recreate_container(*engine_, name, unique("app") + ":9.9.9");
  ASSERT_FALSE(recreated.has_value());
  EXPECT_EQ(recreated.error().kind, ErrorKind::not_found);
  EXPECT_THAT(recreated.error().message, HasSubstr("pull it first"));
  const auto same = inspect(name);
  EXPECT_EQ(same["Id"], old_id);
  EXPECT_EQ(same["State"]["Running"], true);
  EXPECT_FALSE(exists(name + "-wharf-new"));
}

TEST_F(RecreateTest, AFailedStartPutsTheOldContainerBack) {
  // The next release's entrypoint does not exist: create succeeds, start fails — after the
  // old container was stopped and renamed. (Without --init: docker-init would start and only
  // then fail to run the program, so the start itself would succeed.)
  const auto broken = unique("app") + ":3.0.0";
  make_image(broken, {"ENV VERSION=3.0.0", R"(ENTRYPOINT ["/no/such/program"])"});
  const auto name = unique("broken");
  const auto old_id = run_container(name, {"--network", "none", "--stop-timeout", "1", image_v1_});
  ASSERT_FALSE(old_id.empty());

  auto recreated = recreate_container(*engine_, name, broken);
  ASSERT_FALSE(recreated.has_value());
  std::cout << recreated.error().message << "\n";
  EXPECT_THAT(recreated.error().message, HasSubstr("cannot recreate container " + name));
  EXPECT_THAT(recreated.error().message, HasSubstr("/no/such/program"));
  EXPECT_THAT(recreated.error().message, HasSubstr("The old container runs again."));
  const auto back = inspect(name);
  EXPECT_EQ(back["Id"], old_id);
  EXPECT_EQ(back["State"]["Running"], true);
  EXPECT_FALSE(exists(name + "-wharf-new"));
  EXPECT_FALSE(exists(name + "-wharf-previous"));
  const auto listed = docker({"ps", "--all", "--quiet", "--filter", "ancestor=" + broken});
  EXPECT_EQ(listed.out, "") << "a container of the broken image was left behind";
}

TEST_F(RecreateTest, RefusesAnAutoRemoveContainer) {
  const auto name = unique("rm");
  ASSERT_FALSE(run_container(name, {"--rm", "--network", "none", "--init", image_v1_}).empty());
  auto recreated = recreate_container(*engine_, name, image_v2_);
  ASSERT_FALSE(recreated.has_value());
  EXPECT_EQ(recreated.error().kind, ErrorKind::conflict);
  EXPECT_EQ(inspect(name)["State"]["Running"], true);
}

TEST_F(RecreateTest, ALeftoverStoppedContainerUnderAReservedNameIsReplaced) {
  const auto name = unique("leftover");
  ASSERT_FALSE(run_container(name, {"--network", "none", "--init", image_v1_}).empty());
  const auto stale =
      docker({"create", "--name", name + "-wharf-new", "--network", "none", image_v1_});
  ASSERT_EQ(stale.exit_code, 0) << stale.err;
  auto recreated = recreate_container(*engine_, name, image_v2_);
  ASSERT_TRUE(recreated.has_value()) << recreated.error().message;
  EXPECT_EQ(inspect(name)["Id"], recreated->new_id);
}

TEST_F(RecreateTest, NetworkConnectReportsAnUnknownNetwork) {
  // Only none and host exist on the test engine, so connecting is tested by its refusal.
  const auto name = unique("connect");
  const auto id = run_container(name, {"--network", "none", "--init", image_v1_});
  ASSERT_FALSE(id.empty());
  auto connected = engine_->network_connect(unique("nonet"), id, json{{"Aliases", {"x"}}});
  ASSERT_FALSE(connected.has_value());
  EXPECT_EQ(connected.error().kind, ErrorKind::not_found);
  EXPECT_THAT(connected.error().message, HasSubstr(unique("nonet")));
}

}  // namespace
}  // namespace wharf::update::test
