// `wharf status` against the private engine: a stack with a healthy, an unhealthy, an exited
// and a not-created service, read through the Engine API, and the exit code that follows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/runtime/runtime_fixture.hpp"

namespace wharf::runtime::test {
namespace {

using ::testing::HasSubstr;

const nlohmann::json& service_entry(const nlohmann::json& document, const std::string& name) {
  for (const auto& entry : document.at("services")) {
    if (entry.at("service") == name) {
      return entry;
    }
  }
  static const nlohmann::json missing = nullptr;
  ADD_FAILURE() << "no service " << name << " in " << document.dump();
  return missing;
}

TEST_F(RuntimeTest, StatusDescribesEveryServiceAndFailsUnlessAllAreUp) {
  write_project({"web", "api", "job", "cache"});
  ASSERT_FALSE(HasFailure());
  const auto web = add_container("web", 1, "sleep 600",
                                 {"--network=host", "--health-cmd=true", "--health-interval=1s"});
  add_container("api", 1, "sleep 600",
                {"--health-cmd=false", "--health-interval=1s", "--health-retries=1"});
  add_container("job", 1, "exit 3");
  ASSERT_FALSE(HasFailure());
  wait_for(web, "{{.State.Health.Status}}", "healthy");
  wait_for(project_ + "-api-1", "{{.State.Health.Status}}", "unhealthy");
  wait_for(project_ + "-job-1", "{{.State.Status}}", "exited");
  ASSERT_FALSE(HasFailure());

  const auto status = wharf({"--json", "status"});
  EXPECT_EQ(status.output.exit_code, 1) << status.output.out << status.output.err;
  ASSERT_TRUE(status.json.is_object()) << status.output.out << status.output.err;
  EXPECT_EQ(status.json["project"], project_);
  EXPECT_EQ(status.json["ok"], false);
  ASSERT_EQ(status.json["services"].size(), 4U);
  // The compose file's order.
  EXPECT_EQ(status.json["services"][0]["service"], "web");
  EXPECT_EQ(status.json["services"][3]["service"], "cache");

  const auto base_id =
      docker({"image", "inspect", "--format", "{{.Id}}", image("web")}).out.substr(0, 71);
  const auto& web_entry = service_entry(status.json, "web");
  EXPECT_EQ(web_entry["ok"], true);
  EXPECT_EQ(web_entry["image"], image("web"));
  EXPECT_EQ(web_entry["pinned_image_id"], base_id);
  ASSERT_EQ(web_entry["containers"].size(), 1U);
  const auto& web_container = web_entry["containers"][0];
  EXPECT_EQ(web_container["id"], web);
  EXPECT_EQ(web_container["name"], project_ + "-web-1");
  EXPECT_EQ(web_container["state"], "running");
  EXPECT_EQ(web_container["health"], "healthy");
  EXPECT_EQ(web_container["image"], image("web"));
  EXPECT_EQ(web_container["image_id"], base_id);
  EXPECT_EQ(web_container["current"], true);
  EXPECT_EQ(web_container["network"], "host");
  EXPECT_EQ(web_container["restart_count"], 0);
  EXPECT_GE(web_container["uptime_seconds"].get<int>(), 0);
  EXPECT_LT(web_container["uptime_seconds"].get<int>(), 120);
  EXPECT_TRUE(web_container["started_at"].is_string());

  const auto& api_entry = service_entry(status.json, "api");
  EXPECT_EQ(api_entry["ok"], false);
  EXPECT_EQ(api_entry["containers"][0]["state"], "running");
  EXPECT_EQ(api_entry["containers"][0]["health"], "unhealthy");
  EXPECT_EQ(api_entry["containers"][0]["network"], "own");

  const auto& job_entry = service_entry(status.json, "job");
  EXPECT_EQ(job_entry["ok"], false);
  EXPECT_EQ(job_entry["state"], "exited");
  EXPECT_EQ(job_entry["containers"][0]["exit_code"], 3);
  EXPECT_EQ(job_entry["containers"][0]["health"], "none");
  EXPECT_TRUE(job_entry["containers"][0]["uptime_seconds"].is_null());

  const auto& cache_entry = service_entry(status.json, "cache");
  EXPECT_EQ(cache_entry["state"], "not created");
  EXPECT_EQ(cache_entry["ok"], false);
  EXPECT_EQ(cache_entry["containers"], nlohmann::json::array());

  const auto table = wharf({"status"});
  EXPECT_EQ(table.output.exit_code, 1) << table.output.err;
  EXPECT_THAT(table.output.out, HasSubstr("not created"));
  EXPECT_THAT(table.output.out, HasSubstr("unhealthy"));
  EXPECT_THAT(table.output.out, HasSubstr("exited (3)"));
  EXPECT_THAT(table.output.out, HasSubstr("not every service of " + project_ + " is up."));
}

TEST_F(RuntimeTest, StatusExitsZeroWhenEveryServiceRunsAndSeesAMovedPin) {
  write_project({"web", "worker"});
  ASSERT_FALSE(HasFailure());
  const auto web =
      add_container("web", 1, "sleep 600", {"--health-cmd=true", "--health-interval=1s"});
  add_container("worker", 1, "sleep 600");
  add_container("worker", 2, "sleep 600");
  wait_for(web, "{{.State.Health.Status}}", "healthy");
  ASSERT_FALSE(HasFailure());

  const auto up = wharf({"--json", "status"});
  EXPECT_EQ(up.output.exit_code, 0) << up.output.out << up.output.err;
  ASSERT_TRUE(up.json.is_object()) << up.output.out;
  EXPECT_EQ(up.json["ok"], true);
  const auto& worker = service_entry(up.json, "worker");
  ASSERT_EQ(worker["containers"].size(), 2U);
  EXPECT_EQ(worker["containers"][0]["number"], 1);
  EXPECT_EQ(worker["containers"][1]["number"], 2);
  EXPECT_EQ(worker["state"], "running");

  // A pull of a new release moves the pinned tag; the running container is then outdated.
  // --pause=false: a paused container fails its healthcheck and would turn unhealthy.
  const auto committed =
      docker({"commit", "--pause=false", "--change", "LABEL release=next", web, image("web")});
  ASSERT_EQ(committed.exit_code, 0) << committed.err;
  const auto moved = wharf({"--json", "status"});
  EXPECT_EQ(moved.output.exit_code, 0) << moved.output.out << moved.output.err;
  const auto& web_entry = service_entry(moved.json, "web");
  EXPECT_EQ(web_entry["containers"][0]["current"], false);
  EXPECT_NE(web_entry["pinned_image_id"], web_entry["containers"][0]["image_id"]);

  // The pinned image gone from the engine: whether it is current is unknown.
  ASSERT_EQ(docker({"rmi", image("worker")}).exit_code, 0);
  const auto gone = wharf({"--json", "status"});
  EXPECT_TRUE(service_entry(gone.json, "worker")["pinned_image_id"].is_null());
  EXPECT_TRUE(service_entry(gone.json, "worker")["containers"][0]["current"].is_null());

  // One stopped replica is enough to fail.
  ASSERT_EQ(docker({"stop", "--time", "1", project_ + "-worker-2"}).exit_code, 0);
  const auto stopped = wharf({"status"});
  EXPECT_EQ(stopped.output.exit_code, 1) << stopped.output.out;
}

TEST_F(RuntimeTest, StatusWithoutAComposeFileSaysWhatToDo) {
  const auto status = wharf({"status"});
  EXPECT_EQ(status.output.exit_code, 3) << status.output.out;
  EXPECT_THAT(status.output.err, HasSubstr("holds no compose file"));
}

}  // namespace
}  // namespace wharf::runtime::test
