// EngineWorker and ensure_image used as a library, against the engine peer: how each kind of
// failure is reported, and that nothing is left behind.

#include <thread>

#include <gmock/gmock.h>

#include "wharf/backends/engine/ensure_image.hpp"
#include "wharf/backends/worker_factory.hpp"

#include "integration/dispatch/dispatch_fixture.hpp"

namespace wharf::backends::test {
namespace {

using namespace std::chrono_literals;
using dispatch::AttemptStatus;
using ::testing::HasSubstr;

class EngineWorkerTest : public DispatchTest {
 protected:
  [[nodiscard]] dispatch::Attempt run_task(std::vector<std::string> args,
                                           const std::string& image = "wharf/worker:dev") {
    EngineWorkerOptions options;
    options.image = image;
    options.logs_dir = path("logs");
    EngineWorker worker(*engine_, std::move(options));
    dispatch::TaskSpec task;
    task.id = "t";
    task.args = std::move(args);
    return worker.run(task, dispatch::AttemptContext{run_id_, 1, cancel_});
  }

  std::string run_id_ = new_run_id();
  dispatch::CancelToken cancel_;
};

TEST_F(EngineWorkerTest, CompletedTaskKeepsItsExitCodeAndLog) {
  const auto attempt = run_task({"sh", "-c", "echo hello; echo world >&2; exit 5"});
  EXPECT_EQ(attempt.status, AttemptStatus::completed) << attempt.error;
  EXPECT_EQ(attempt.exit_code, 5);
  EXPECT_EQ(attempt.worker, "local");
  // The engine copies stdout and stderr independently, so their relative order in one log is
  // not guaranteed: what must hold is that both lines are there, whole.
  const auto log = wharf::test::read_file(attempt.log_path);
  EXPECT_TRUE(log == "hello\nworld\n" || log == "world\nhello\n") << log;
  EXPECT_TRUE(run_containers(run_id_).empty());
}

TEST_F(EngineWorkerTest, UnknownCommandFailsToStart) {
  const auto attempt = run_task({"no-such-command"});
  EXPECT_EQ(attempt.status, AttemptStatus::failed_to_start);
  EXPECT_THAT(attempt.error, HasSubstr("no-such-command"));
  EXPECT_TRUE(run_containers(run_id_).empty());
}

TEST_F(EngineWorkerTest, AbsentImageFailsToStart) {
  const auto attempt = run_task({"true"}, "wharf/not-here:1.0.0");
  EXPECT_EQ(attempt.status, AttemptStatus::failed_to_start) << attempt.error;
  EXPECT_TRUE(run_containers(run_id_).empty());
}

TEST_F(EngineWorkerTest, CancellationKillsAndRemovesPromptly) {
  std::jthread canceller([this] {
    std::this_thread::sleep_for(1500ms);
    cancel_.cancel();
  });
  const auto started = std::chrono::steady_clock::now();
  const auto attempt = run_task({"sleep", "120"});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  EXPECT_EQ(attempt.status, AttemptStatus::cancelled) << attempt.error;
  EXPECT_LT(seconds.count(), 10.0);
  EXPECT_TRUE(run_containers(run_id_).empty());
}

TEST_F(EngineWorkerTest, SweepRemovesEveryContainerOfTheRunAndNoOther) {
  const auto other_run = new_run_id();
  for (const auto& [run, task] : {std::pair{run_id_, "a"}, {run_id_, "b"}, {other_run, "c"}}) {
    engine::ContainerSpec spec;
    spec.image = "wharf/worker:dev";
    spec.cmd = {"sleep", "120"};
    spec.labels = {{std::string(kRunLabel), run}, {std::string(kTaskLabel), task}};
    auto created = engine_->container_create(spec);
    ASSERT_TRUE(created) << created.error().message;
  }
  auto removed = remove_run_containers(*engine_, run_id_);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 2U);
  EXPECT_TRUE(run_containers(run_id_).empty());
  EXPECT_EQ(run_containers(other_run).size(), 1U);
  EXPECT_EQ(remove_run_containers(*engine_, other_run).value_or(0), 1U);
}

TEST_F(EngineWorkerTest, EnsureImagePresentDoesNotPull) {
  auto image = ImageReference::parse("wharf/worker:dev");
  ASSERT_TRUE(image);
  for (const auto policy : {dispatch::PullPolicy::missing, dispatch::PullPolicy::never}) {
    auto ensured = ensure_image(*engine_, *image, policy);
    ASSERT_TRUE(ensured) << ensured.error().message;
    EXPECT_FALSE(ensured->pulled);
    EXPECT_THAT(ensured->id, HasSubstr("sha256:"));
  }
}

TEST_F(EngineWorkerTest, ImportedImageReportsItsIdAsTheDigest) {
  // The peer's wharf/worker:dev was imported, never pushed: it has no registry digest.
  auto info = engine_->image_inspect("wharf/worker:dev");
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_TRUE(info->repo_digests.empty()) << info->repo_digests.front();
  auto image = ImageReference::parse("wharf/worker:dev");
  ASSERT_TRUE(image);
  auto ensured = ensure_image(*engine_, *image, dispatch::PullPolicy::missing);
  ASSERT_TRUE(ensured) << ensured.error().message;
  EXPECT_EQ(ensured->digest, info->id);
  EXPECT_EQ(ensured->digest, ensured->id);
}

TEST_F(EngineWorkerTest, LifecyclePreparesTheImageRunsInItAndSweepsTheRun) {
  EngineWorkerOptions options;
  options.logs_dir = path("logs");
  EngineWorker worker(*engine_, std::move(options));
  int progress_events = 0;
  auto prepared = worker.prepare(ImageReference::parse("wharf/worker:dev").value(),
                                 dispatch::PullPolicy::missing,
                                 [&](const dispatch::PrepareProgress&) { ++progress_events; });
  ASSERT_TRUE(prepared) << prepared.error().message;
  EXPECT_EQ(prepared->reference, "wharf/worker:dev");
  EXPECT_EQ(prepared->digest, engine_->image_inspect("wharf/worker:dev")->id);
  EXPECT_EQ(progress_events, 0);  // Present: no pull, so no progress.

  const auto attempt = worker.run(dispatch::TaskSpec{"t", {"true"}, {}, std::nullopt, 0},
                                  dispatch::AttemptContext{run_id_, 1, cancel_});
  EXPECT_EQ(attempt.status, AttemptStatus::completed) << attempt.error;
  EXPECT_EQ(attempt.image, "wharf/worker:dev");
  EXPECT_EQ(attempt.image_digest, prepared->digest);

  // A leftover the sweep must find: a container of the run that no attempt removed.
  engine::ContainerSpec spec;
  spec.image = "wharf/worker:dev";
  spec.cmd = {"sleep", "120"};
  spec.labels = {{std::string(kRunLabel), run_id_}};
  ASSERT_TRUE(engine_->container_create(spec));
  auto swept = worker.sweep(run_id_);
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(*swept, 1U);
  EXPECT_TRUE(run_containers(run_id_).empty());
  EXPECT_TRUE(worker.stop());
}

TEST_F(EngineWorkerTest, PrepareWithPullNeverOnAnAbsentImageSaysWhatToRun) {
  EngineWorker worker(*engine_, EngineWorkerOptions{});
  auto prepared = worker.prepare(ImageReference::parse("wharf/not-here:1.0.0").value(),
                                 dispatch::PullPolicy::never, {});
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().kind, ErrorKind::not_found);
  EXPECT_THAT(prepared.error().message, HasSubstr("--pull never forbids pulling it"));
}

TEST_F(EngineWorkerTest, WarmPoolFromTheFactoryKeepsItsContainerUntilStopped) {
  WorkerSettings settings;
  settings.logs_dir = path("logs");
  settings.warm = 1;
  auto candidate = engine_worker(*engine_, "pool", 4, settings);
  ASSERT_TRUE(candidate.worker);
  EXPECT_EQ(candidate.address, engine_->host().address);
  EXPECT_EQ(candidate.worker->slots(), 1U);  // A warm pool's slots are its containers.
  auto prepared = candidate.worker->prepare(ImageReference::parse("wharf/worker:dev").value(),
                                            dispatch::PullPolicy::missing, {});
  ASSERT_TRUE(prepared) << prepared.error().message;
  const auto attempt =
      candidate.worker->run(dispatch::TaskSpec{"t", {"echo", "warm"}, {}, std::nullopt, 0},
                            dispatch::AttemptContext{run_id_, 1, cancel_});
  EXPECT_EQ(attempt.status, AttemptStatus::completed) << attempt.error;
  EXPECT_EQ(attempt.worker, "pool");
  EXPECT_EQ(run_containers(run_id_).size(), 1U);  // The pool's container waits for more.
  ASSERT_TRUE(candidate.worker->stop());
  EXPECT_TRUE(run_containers(run_id_).empty());
  EXPECT_TRUE(candidate.worker->stop());  // Idempotent.
}

TEST(EngineWorkerName, ContainerNameJoinsRunTaskAndAttempt) {
  EXPECT_EQ(EngineWorker::container_name("r1", "build", 2), "wharf-r1-build-2");
  const auto id = new_run_id();
  EXPECT_EQ(id.size(), 22U) << id;
}

}  // namespace
}  // namespace wharf::backends::test
