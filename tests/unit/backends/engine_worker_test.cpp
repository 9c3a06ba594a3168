// EngineWorker's decisions against a scripted engine: how each way an attempt can end is
// reported, and that the attempt's container is removed on every path once it exists. The
// same worker against a real engine: tests/integration/dispatch/engine_worker_test.cpp.

#include "wharf/backends/engine/engine_worker.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_engine.hpp"

namespace wharf::backends {
namespace {

using dispatch::AttemptStatus;
using test::connection_error;
using test::engine_error;
using test::FakeEngine;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class EngineWorkerDecisions : public ::testing::Test {
 protected:
  dispatch::Attempt run(std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    EngineWorkerOptions options;
    options.name = "local";
    options.image = "wharf/worker:dev";
    options.image_digest = "sha256:abc";
    EngineWorker worker(engine_, std::move(options));
    const dispatch::TaskSpec task{"build", {"make", "all"}, {{"CI", "1"}}, timeout, 1};
    const dispatch::AttemptContext context{"r1", 2, cancel_};
    return worker.run(task, context);
  }

  std::shared_ptr<FakeEngine> engine_ = std::make_shared<FakeEngine>();
  dispatch::CancelToken cancel_;
};

TEST_F(EngineWorkerDecisions, CompletedTaskReportsItsExitCodeAndRemovesTheContainer) {
  engine_->on_wait = [](const std::string&) {
    return Result<engine::WaitResult>(engine::WaitResult{3, ""});
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::completed);
  EXPECT_EQ(attempt.exit_code, 3);
  EXPECT_EQ(attempt.error, "task build exited with code 3.");
  EXPECT_EQ(attempt.worker, "local");
  EXPECT_EQ(attempt.image_digest, "sha256:abc");
  EXPECT_THAT(engine_->calls(), ElementsAre("create wharf-r1-build-2", "follow c1", "start c1",
                                            "output finish 0ms", "wait c1", "remove c1"));
  EXPECT_EQ(engine_->released, 1);  // The connection is good: back to the pool.
}

TEST_F(EngineWorkerDecisions, TheContainerIsLabelledAndOffTheNetwork) {
  (void)run();
  const auto specs = engine_->specs();
  ASSERT_EQ(specs.size(), 1U);
  EXPECT_EQ(specs[0].image, "wharf/worker:dev");
  EXPECT_EQ(specs[0].cmd, (std::vector<std::string>{"make", "all"}));
  EXPECT_EQ(specs[0].network_mode, "none");
  EXPECT_EQ(specs[0].labels.at("wharf.run"), "r1");
  EXPECT_EQ(specs[0].labels.at("wharf.task"), "build");
  EXPECT_EQ(specs[0].labels.at("wharf.attempt"), "2");
}

TEST_F(EngineWorkerDecisions, TimeoutKillsTheContainerThenRemovesIt) {
  engine_->output_wait = FollowedOutput::Wait::deadline;
  const auto attempt = run(1500ms);
  EXPECT_EQ(attempt.status, AttemptStatus::timed_out);
  EXPECT_EQ(attempt.exit_code, -1);
  EXPECT_EQ(attempt.error, "task build was killed after its timeout of 1.5 s.");
  EXPECT_FALSE(attempt.worker_usable);
  // The output gets its drain grace after the kill; the removal comes last.
  EXPECT_THAT(engine_->calls(), ElementsAre("create wharf-r1-build-2", "follow c1", "start c1",
                                            "kill c1", "output finish 5000ms", "remove c1"));
}

TEST_F(EngineWorkerDecisions, TaskThatClosedItsOutputButRanOnIsKilledAtItsTimeout) {
  engine_->on_wait = [](const std::string&) {
    return Result<engine::WaitResult>(std::unexpected(connection_error(ErrorKind::timeout)));
  };
  const auto attempt = run(2s);
  EXPECT_EQ(attempt.status, AttemptStatus::timed_out);
  EXPECT_EQ(attempt.error, "task build was killed after its timeout of 2 s.");
  EXPECT_THAT(engine_->calls(), Contains("kill c1"));
  EXPECT_EQ(engine_->calls().back(), "remove c1");
}

TEST_F(EngineWorkerDecisions, CancelStopsTheTaskByRemovingItsContainer) {
  engine_->output_wait = FollowedOutput::Wait::cancelled;
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::cancelled);
  EXPECT_EQ(attempt.error, "task build was stopped because the run was cancelled.");
  // No kill of its own: the forced removal kills it.
  EXPECT_THAT(engine_->calls(), ElementsAre("create wharf-r1-build-2", "follow c1", "start c1",
                                            "output finish 0ms", "remove c1"));
}

TEST_F(EngineWorkerDecisions, CancelledRunStartsNothing) {
  cancel_.cancel();
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::cancelled);
  EXPECT_EQ(attempt.error, "the run was cancelled before task build started.");
  EXPECT_THAT(engine_->calls(), ElementsAre());
}

TEST_F(EngineWorkerDecisions, ContainerGoneWhileWaitingCostsTheAttemptNotTheWorker) {
  engine_->on_wait = [](const std::string& id) {
    return Result<engine::WaitResult>(
        std::unexpected(engine_error(ErrorKind::not_found, 404, "No such container: " + id + ".")));
  };
  engine_->on_remove = [](const std::string& id) {
    return Result<void>(
        std::unexpected(engine_error(ErrorKind::not_found, 404, "No such container: " + id + ".")));
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::infrastructure_error);  // Retried elsewhere.
  EXPECT_TRUE(attempt.worker_usable);
  EXPECT_EQ(attempt.error, "No such container: c1.");
  EXPECT_EQ(engine_->calls().back(), "remove c1");
  EXPECT_EQ(engine_->fresh_connections, 0);  // Already gone is not a failed removal.
  EXPECT_EQ(engine_->released, 1);
}

TEST_F(EngineWorkerDecisions, EngineLostWhileWaitingCostsTheWorkerAndItsConnection) {
  engine_->on_wait = [](const std::string&) {
    return Result<engine::WaitResult>(std::unexpected(connection_error()));
  };
  engine_->on_remove = [this](const std::string&) {
    // The pooled connection is broken; only the fresh one gets through.
    return engine_->fresh_connections > 0 ? Result<void>{}
                                          : Result<void>(std::unexpected(connection_error()));
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::infrastructure_error);
  EXPECT_FALSE(attempt.worker_usable);
  EXPECT_THAT(engine_->calls(), Contains("fresh remove c1"));  // The second chance.
  EXPECT_EQ(engine_->released, 0);  // A broken connection is dropped, not pooled.
}

TEST_F(EngineWorkerDecisions, StartRefusedFailsToStartAndStillRemovesTheContainer) {
  engine_->on_start = [](const std::string&) {
    return Result<void>(std::unexpected(engine_error(
        ErrorKind::invalid_input, 400, "exec: \"make\": executable file not found in $PATH")));
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::failed_to_start);
  EXPECT_THAT(attempt.error, HasSubstr("executable file not found"));
  EXPECT_THAT(engine_->calls(), ElementsAre("create wharf-r1-build-2", "follow c1", "start c1",
                                            "remove c1", "output finish 0ms"));
  EXPECT_EQ(engine_->released, 1);
}

TEST_F(EngineWorkerDecisions, StartUnansweredIsTheWorkersProblemAndStillRemovesTheContainer) {
  engine_->on_start = [](const std::string&) {
    return Result<void>(std::unexpected(connection_error()));
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::infrastructure_error);
  EXPECT_FALSE(attempt.worker_usable);
  EXPECT_THAT(engine_->calls(), Contains("remove c1"));
  EXPECT_EQ(engine_->released, 0);
}

TEST_F(EngineWorkerDecisions, AttachFailureStillRemovesTheContainer) {
  engine_->follow_error = connection_error(ErrorKind::timeout, "did not attach.");
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::infrastructure_error);
  EXPECT_THAT(engine_->calls(), ElementsAre("create wharf-r1-build-2", "follow c1", "remove c1"));
}

TEST_F(EngineWorkerDecisions, CreateRefusalsAreClassifiedAndLeaveNothingToRemove) {
  engine_->on_create = [](const engine::ContainerSpec&) {
    return Result<engine::CreatedContainer>(std::unexpected(
        engine_error(ErrorKind::not_found, 404, "No such image: wharf/worker:dev")));
  };
  EXPECT_EQ(run().status, AttemptStatus::failed_to_start);  // Another worker would hit it too.
  engine_->on_create = [](const engine::ContainerSpec&) {
    return Result<engine::CreatedContainer>(
        std::unexpected(engine_error(ErrorKind::conflict, 409, "The name is in use.")));
  };
  EXPECT_EQ(run().status, AttemptStatus::infrastructure_error);
  EXPECT_THAT(engine_->calls(), Not(Contains(HasSubstr("remove"))));
}

}  // namespace
}  // namespace wharf::backends
