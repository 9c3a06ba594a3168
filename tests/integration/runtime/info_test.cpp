// `wharf info` against the private engine: the compose file, the project's containers on the
// engine, and the strategy that follows from whether a compose CLI answers on this machine.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/runtime/runtime_fixture.hpp"

namespace wharf::runtime::test {
namespace {

using ::testing::HasSubstr;

TEST_F(RuntimeTest, InfoCountsTheStacksContainersAndNamesTheStrategy) {
  write_project({"web", "job"});
  ASSERT_FALSE(HasFailure());
  const auto empty = wharf({"--json", "info"});
  EXPECT_EQ(empty.output.exit_code, 0) << empty.output.err;
  ASSERT_TRUE(empty.json.is_object()) << empty.output.out << empty.output.err;
  EXPECT_EQ(empty.json["stack"], nlohmann::json::parse(R"({"containers":0,"running":0})"));

  add_container("web", 1, "sleep 600");
  add_container("job", 1, "exit 0");
  ASSERT_FALSE(HasFailure());
  wait_for(project_ + "-job-1", "{{.State.Status}}", "exited");

  const auto info = wharf({"--json", "info"});
  EXPECT_EQ(info.output.exit_code, 0) << info.output.err;
  ASSERT_TRUE(info.json.is_object()) << info.output.out;
  EXPECT_EQ(info.json["project_root"], root_.path().string());
  EXPECT_EQ(info.json["compose_file"], (root_.path() / "docker/docker-compose.yml").string());
  EXPECT_EQ(info.json["compose_project"], project_);
  EXPECT_EQ(info.json["stack"], nlohmann::json::parse(R"({"containers":2,"running":1})"));
  EXPECT_TRUE(info.json["source_checkout"].is_null());  // A temp dir is no git checkout.
  EXPECT_TRUE(info.json["container"]["inside"].is_boolean());
  const bool has_cli = !info.json["compose_cli"].is_null();
  EXPECT_EQ(info.json["update_strategy"]["strategy"], has_cli ? "compose" : "recreate");
  EXPECT_FALSE(info.json["update_strategy"]["reason"].get<std::string>().empty());

  const auto text = wharf({"info"});
  EXPECT_EQ(text.output.exit_code, 0);
  EXPECT_THAT(text.output.out, HasSubstr("2 containers, 1 running"));
  EXPECT_THAT(text.output.out, HasSubstr("not a git checkout"));
  EXPECT_THAT(text.output.out, HasSubstr("update strategy"));
}

TEST_F(RuntimeTest, InfoStillAnswersWhenTheEngineIsUnreachable) {
  write_project({"web"});
  ASSERT_FALSE(HasFailure());
  const auto info = wharf({"--json", "info", "--host", "unix:///nonexistent/docker.sock"});
  EXPECT_EQ(info.output.exit_code, 0) << info.output.err;
  ASSERT_TRUE(info.json.is_object()) << info.output.out;
  EXPECT_TRUE(info.json["stack"].is_null());
  EXPECT_THAT(info.json["stack_error"].get<std::string>(), HasSubstr("/nonexistent/docker.sock"));
}

}  // namespace
}  // namespace wharf::runtime::test
