#include "wharf/pin/worker_image.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "support/peers.hpp"

namespace wharf::pin {
namespace {

class WorkerImage : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("TASK_EXECUTOR_IMAGE");
    std::filesystem::create_directories(dir.path() / "docker");
  }
  void TearDown() override { ::unsetenv("TASK_EXECUTOR_IMAGE"); }
  void env(const std::string& text) { test::write_file(dir.path() / "docker" / ".env", text); }
  [[nodiscard]] pin::ProjectLayout layout() const { return pin::ProjectLayout{dir.path()}; }

  test::TempDir dir;
};

TEST_F(WorkerImage, PinnedWorkerImageAndTag) {
  env("WORKER_IMAGE=127.0.0.1:5000/team/worker\nIMAGE_TAG=1.2.0\n");
  auto image = resolve_worker_image(layout(), false);
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->to_string(), "127.0.0.1:5000/team/worker:1.2.0");
}

TEST_F(WorkerImage, ExecutorImageInFileWinsOverPin) {
  env("WORKER_IMAGE=team/worker\nIMAGE_TAG=1.2.0\nTASK_EXECUTOR_IMAGE=wharf/worker:dev\n");
  auto image = resolve_worker_image(layout(), false);
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->familiar(), "wharf/worker:dev");
}

TEST_F(WorkerImage, ProcessEnvironmentWinsOverFile) {
  env("TASK_EXECUTOR_IMAGE=wharf/worker:dev\n");
  ::setenv("TASK_EXECUTOR_IMAGE", "other/worker:2.0.0", 1);
  auto image = resolve_worker_image(layout(), false);
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->familiar(), "other/worker:2.0.0");
}

TEST_F(WorkerImage, LatestAndMissingTagAreRefusedUnlessAllowed) {
  env("WORKER_IMAGE=team/worker\nIMAGE_TAG=latest\n");
  auto latest = resolve_worker_image(layout(), false);
  ASSERT_FALSE(latest);
  EXPECT_EQ(latest.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(latest.error().message.find("wharf pin"), std::string::npos);
  EXPECT_NE(latest.error().message.find("--allow-unpinned"), std::string::npos);
  EXPECT_TRUE(resolve_worker_image(layout(), true));

  env("WORKER_IMAGE=team/worker\n");
  auto untagged = resolve_worker_image(layout(), false);
  ASSERT_FALSE(untagged);
  EXPECT_NE(untagged.error().message.find("IMAGE_TAG"), std::string::npos);
  auto allowed = resolve_worker_image(layout(), true);
  ASSERT_TRUE(allowed) << allowed.error().message;
  EXPECT_EQ(allowed->familiar(), "team/worker:latest");

  env("TASK_EXECUTOR_IMAGE=wharf/worker\n");
  EXPECT_FALSE(resolve_worker_image(layout(), false));
}

TEST_F(WorkerImage, MissingEnvFileSaysWhatToDo) {
  auto image = resolve_worker_image(pin::ProjectLayout{dir.path() / "nowhere"}, false);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().kind, ErrorKind::invalid_input);  // An input file is missing: exit 2.
  EXPECT_NE(image.error().message.find("wharf pin"), std::string::npos);
}

TEST_F(WorkerImage, DigestIsAlwaysPinned) {
  const std::string digest(64, 'a');
  EXPECT_TRUE(check_pinned_image("team/worker@sha256:" + digest, "--image", false));
  EXPECT_FALSE(check_pinned_image("team/worker", "--image", false));
  EXPECT_FALSE(check_pinned_image("Team/Worker:1", "--image", true));
}

}  // namespace
}  // namespace wharf::pin
