// WarmPoolWorker's decisions against a scripted engine: when a slot keeps its container,
// when it drops it and starts the next generation, how each ending is reported, and that
// shutdown removes the whole pool. The same worker against a real engine:
// tests/integration/dispatch/warm_pool_test.cpp.

#include "wharf/backends/engine/warm_pool_worker.hpp"

#include <latch>
#include <thread>

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
using ::testing::UnorderedElementsAre;
using namespace std::chrono_literals;

std::vector<std::string> removals(const std::vector<std::string>& calls) {
  std::vector<std::string> found;
  for (const auto& call : calls) {
    if (call.find("remove ") != std::string::npos) {
      found.push_back(call);
    }
  }
  return found;
}

class WarmPoolDecisions : public ::testing::Test {
 protected:
  void SetUp() override { pool_ = make_pool(1); }

  std::shared_ptr<WarmPoolWorker> make_pool(std::size_t size) {
    WarmPoolOptions options;
    options.name = "local";
    options.size = size;
    options.image = "wharf/worker:dev";
    auto created = WarmPoolWorker::create(engine_, std::move(options), {"/entry"}, {"default"});
    EXPECT_TRUE(created.has_value());
    return created.value_or(nullptr);
  }

  dispatch::Attempt run(std::vector<std::string> args = {"make"},
                        std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    const dispatch::TaskSpec task{"build", std::move(args), {}, timeout, 1};
    const dispatch::AttemptContext context{"r1", 1, cancel_};
    return pool_->run(task, context);
  }

  void exec_start_fails_once(Error error) {
    engine_->on_exec_start = [this, error, failed = false](const std::string&,
                                                           const engine::LogSink&) mutable {
      if (failed) {
        return Result<void>{};
      }
      failed = true;
      return Result<void>(std::unexpected(error));
    };
  }

  std::shared_ptr<FakeEngine> engine_ = std::make_shared<FakeEngine>();
  dispatch::CancelToken cancel_;
  std::shared_ptr<WarmPoolWorker> pool_;
};

TEST_F(WarmPoolDecisions, TasksOfASlotShareItsContainer) {
  EXPECT_EQ(run().status, AttemptStatus::completed);
  EXPECT_EQ(run().status, AttemptStatus::completed);
  EXPECT_THAT(engine_->calls(),
              ElementsAre("create wharf-r1-warm-0-1", "start c1", "exec_create c1", "exec_start e1",
                          "exec_inspect e1", "exec_create c1", "exec_start e2", "exec_inspect e2"));
  const auto execs = engine_->execs();
  ASSERT_EQ(execs.size(), 2U);
  EXPECT_EQ(execs[0].cmd, (std::vector<std::string>{"/entry", "make"}));
}

TEST_F(WarmPoolDecisions, ATaskWithoutArgsRunsTheImagesCmd) {
  (void)run({});
  ASSERT_EQ(engine_->execs().size(), 1U);
  EXPECT_EQ(engine_->execs()[0].cmd, (std::vector<std::string>{"/entry", "default"}));
}

TEST_F(WarmPoolDecisions, ExecFailureDropsTheContainerAndTheNextTaskStartsANewOne) {
  exec_start_fails_once(engine_error(ErrorKind::remote, 500, "the exec broke."));
  const auto failed = run();
  EXPECT_EQ(failed.status, AttemptStatus::infrastructure_error);  // Retried elsewhere.
  EXPECT_TRUE(failed.worker_usable);  // The engine answered: only the container is in doubt.
  EXPECT_EQ(failed.error, "the exec broke.");
  EXPECT_THAT(engine_->calls(), Contains("remove c1"));

  EXPECT_EQ(run().status, AttemptStatus::completed);
  EXPECT_THAT(engine_->calls(), Contains("create wharf-r1-warm-0-2"));
  EXPECT_THAT(engine_->calls(), Contains("exec_create c2"));
}

TEST_F(WarmPoolDecisions, ExecUnansweredCostsTheWorkerAndDropsItsConnection) {
  exec_start_fails_once(connection_error());
  const auto failed = run();
  EXPECT_EQ(failed.status, AttemptStatus::infrastructure_error);
  EXPECT_FALSE(failed.worker_usable);
  EXPECT_THAT(engine_->calls(), Contains("remove c1"));
  EXPECT_EQ(engine_->released, 0);
}

TEST_F(WarmPoolDecisions, ContainerThatDiedBetweenTasksIsReplacedOnce) {
  (void)run();
  engine_->on_exec_create = [this](const std::string& container) {
    if (container == "c1") {
      return Result<std::string>(
          std::unexpected(engine_error(ErrorKind::conflict, 409, "Container c1 is not running.")));
    }
    return Result<std::string>("e" + std::to_string(++engine_->execs_created));
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::completed);
  EXPECT_THAT(engine_->calls(), Contains("remove c1"));
  EXPECT_THAT(engine_->calls(), Contains("create wharf-r1-warm-0-2"));
}

TEST_F(WarmPoolDecisions, TimeoutTakesTheContainerWithIt) {
  exec_start_fails_once(connection_error(ErrorKind::timeout, "timed out."));
  const auto attempt = run({"make"}, 3s);
  EXPECT_EQ(attempt.status, AttemptStatus::timed_out);
  EXPECT_EQ(attempt.error, "task build was killed after its timeout of 3 s.");
  EXPECT_THAT(engine_->calls(), Contains("remove c1"));
  EXPECT_EQ(engine_->released, 1);  // A timeout is not a broken connection.
}

TEST_F(WarmPoolDecisions, CancelTakesTheContainerWithIt) {
  exec_start_fails_once(connection_error(ErrorKind::cancelled, "cancelled."));
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::cancelled);
  EXPECT_EQ(attempt.error, "task build was stopped because the run was cancelled.");
  EXPECT_THAT(engine_->calls(), Contains("remove c1"));
}

TEST_F(WarmPoolDecisions, KilledWithItsContainerRemovedIsALostContainer) {
  engine_->on_exec_inspect = [](const std::string&) {
    engine::ExecInfo info;
    info.exit_code = 137;
    return Result<engine::ExecInfo>(info);
  };
  engine_->on_inspect = [](const std::string& id) {
    return Result<engine::ContainerInfo>(
        std::unexpected(engine_error(ErrorKind::not_found, 404, "No such container: " + id)));
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::infrastructure_error);
  EXPECT_TRUE(attempt.worker_usable);
  EXPECT_EQ(attempt.error,
            "the warm container of task build was removed while the task ran; the slot starts a "
            "new one.");
  EXPECT_THAT(engine_->calls(), Contains("remove c1"));
}

TEST_F(WarmPoolDecisions, KilledWhileItsContainerRunsIsTheTasksOwnExit) {
  engine_->on_exec_inspect = [](const std::string&) {
    engine::ExecInfo info;
    info.exit_code = 137;
    return Result<engine::ExecInfo>(info);
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::completed);
  EXPECT_EQ(attempt.exit_code, 137);
  EXPECT_EQ(attempt.error, "task build exited with code 137.");
  EXPECT_THAT(removals(engine_->calls()), ElementsAre());  // The slot keeps its container.
}

TEST_F(WarmPoolDecisions, CommandTheEngineCannotExecFailsToStart) {
  engine_->on_exec_start = [](const std::string&, const engine::LogSink& sink) {
    sink(engine::LogStream::standard_output,
         "OCI runtime exec failed: exec failed: \"make\": executable file not found\r\n");
    return Result<void>{};
  };
  engine_->on_exec_inspect = [](const std::string&) {
    engine::ExecInfo info;
    info.exit_code = 127;
    return Result<engine::ExecInfo>(info);
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::failed_to_start);
  EXPECT_EQ(attempt.error,
            "task build could not start: OCI runtime exec failed: exec failed: \"make\": "
            "executable file not found");
}

TEST_F(WarmPoolDecisions, SlotContainerThatCannotStartIsRemovedAndFailsTheTask) {
  engine_->on_start = [](const std::string&) {
    return Result<void>(std::unexpected(engine_error(
        ErrorKind::invalid_input, 400, "exec: \"sleep\": executable file not found.")));
  };
  const auto attempt = run();
  EXPECT_EQ(attempt.status, AttemptStatus::failed_to_start);
  EXPECT_THAT(attempt.error, HasSubstr("so the worker image needs it"));
  EXPECT_THAT(engine_->calls(), ElementsAre("create wharf-r1-warm-0-1", "start c1", "remove c1"));
}

TEST_F(WarmPoolDecisions, CancelledRunClaimsNoSlot) {
  cancel_.cancel();
  EXPECT_EQ(run().status, AttemptStatus::cancelled);
  EXPECT_THAT(engine_->calls(), ElementsAre());
}

TEST_F(WarmPoolDecisions, ShutdownRemovesEveryPoolContainerOnce) {
  pool_ = make_pool(2);
  // Two tasks at once, so both slots start a container.
  std::latch both_running(2);
  engine_->on_exec_start = [&](const std::string&, const engine::LogSink&) {
    both_running.arrive_and_wait();
    return Result<void>{};
  };
  std::jthread first([&] { EXPECT_EQ(run().status, AttemptStatus::completed); });
  EXPECT_EQ(run().status, AttemptStatus::completed);
  first.join();
  EXPECT_THAT(engine_->calls(), Contains("create wharf-r1-warm-0-1"));
  EXPECT_THAT(engine_->calls(), Contains("create wharf-r1-warm-1-1"));
  EXPECT_THAT(removals(engine_->calls()), ElementsAre());

  const auto removed = pool_->shutdown();
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(*removed, 2U);
  EXPECT_THAT(removals(engine_->calls()),
              UnorderedElementsAre("fresh remove c1", "fresh remove c2"));
  EXPECT_EQ(pool_->shutdown().value_or(99), 0U);  // Idempotent.
  pool_.reset();                                  // The destructor has nothing left either.
  EXPECT_EQ(removals(engine_->calls()).size(), 2U);
}

}  // namespace
}  // namespace wharf::backends
