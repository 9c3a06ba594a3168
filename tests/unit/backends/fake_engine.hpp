#pragma once

// A scripted stand-in for the Docker engine behind the engine backend's workers: every call
// is logged ("create wharf-r1-build-1", "kill c1", …) and answered by a replaceable
// function, so a test scripts only the answer its decision depends on.

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "wharf/backends/engine/container_ops.hpp"

namespace wharf::backends::test {

/// An error the engine answered with (it carries an HTTP status).
inline Error engine_error(ErrorKind kind, int status, std::string message) {
  return Error{kind, std::move(message), status, std::nullopt};
}

/// An error of the connection itself (no answer, so no HTTP status).
inline Error connection_error(ErrorKind kind = ErrorKind::unavailable,
                              std::string message = "the engine does not answer.") {
  return Error{kind, std::move(message), std::nullopt, std::nullopt};
}

class FakeEngine final : public ContainerOpsSource {
 public:
  // The answers; each test replaces the ones it is about. Defaults: everything works, a
  // container's output ends at once (it stopped), exit code 0, containers keep running.
  std::function<Result<engine::CreatedContainer>(const engine::ContainerSpec&)> on_create =
      [this](const engine::ContainerSpec&) {
        return Result<engine::CreatedContainer>(
            engine::CreatedContainer{"c" + std::to_string(++containers_created), {}});
      };
  std::function<Result<void>(const std::string&)> on_start = [](const std::string&) {
    return Result<void>{};
  };
  std::function<Result<engine::WaitResult>(const std::string&)> on_wait = [](const std::string&) {
    return Result<engine::WaitResult>(engine::WaitResult{0, ""});
  };
  std::function<Result<engine::ContainerInfo>(const std::string&)> on_inspect =
      [](const std::string& id) {
        engine::ContainerInfo info;
        info.id = id;
        info.state.running = true;
        return Result<engine::ContainerInfo>(info);
      };
  std::function<Result<void>(const std::string&)> on_kill = [](const std::string&) {
    return Result<void>{};
  };
  std::function<Result<void>(const std::string&)> on_remove = [](const std::string&) {
    return Result<void>{};
  };
  std::function<Result<std::string>(const std::string&)> on_exec_create =
      [this](const std::string&) {
        return Result<std::string>("e" + std::to_string(++execs_created));
      };
  std::function<Result<void>(const std::string&, const engine::LogSink&)> on_exec_start =
      [](const std::string&, const engine::LogSink&) { return Result<void>{}; };
  std::function<Result<engine::ExecInfo>(const std::string&)> on_exec_inspect =
      [](const std::string&) {
        engine::ExecInfo info;
        info.exit_code = 0;
        return Result<engine::ExecInfo>(info);
      };
  /// How a followed output's wait() ends, and what its finish() returns.
  FollowedOutput::Wait output_wait = FollowedOutput::Wait::drained;
  std::function<Result<void>()> on_output_finish = [] { return Result<void>{}; };
  /// follow_output() itself; fails instead of attaching when set.
  std::optional<Error> follow_error;

  /// Every call so far, in order, as "<call> <argument>".
  [[nodiscard]] std::vector<std::string> calls() const {
    const std::lock_guard lock(mutex_);
    return calls_;
  }
  /// Whether `call` was made (exactly as logged).
  [[nodiscard]] bool called(const std::string& call) const {
    const auto all = calls();
    return std::find(all.begin(), all.end(), call) != all.end();
  }
  /// The specs containers were created from, in order.
  [[nodiscard]] std::vector<engine::ContainerSpec> specs() const {
    const std::lock_guard lock(mutex_);
    return specs_;
  }
  /// The execs prepared, in order.
  [[nodiscard]] std::vector<engine::ExecSpec> execs() const {
    const std::lock_guard lock(mutex_);
    return execs_;
  }

  /// Connections handed out by acquire() and fresh(), and those given back by release().
  std::atomic<int> acquired = 0;
  std::atomic<int> fresh_connections = 0;
  std::atomic<int> released = 0;
  std::atomic<int> containers_created = 0;
  std::atomic<int> execs_created = 0;

  std::unique_ptr<ContainerOps> acquire() override {
    const std::lock_guard lock(mutex_);
    ++acquired;
    return std::make_unique<Connection>(*this, "pooled");
  }
  void release(std::unique_ptr<ContainerOps> ops) override {
    const std::lock_guard lock(mutex_);
    ++released;
    ops.reset();
  }
  std::unique_ptr<ContainerOps> fresh() override {
    const std::lock_guard lock(mutex_);
    ++fresh_connections;
    return std::make_unique<Connection>(*this, "fresh");
  }
  Result<std::unique_ptr<FollowedOutput>> follow_output(const std::string& id,
                                                        engine::LogSink) override {
    log("follow " + id);
    if (follow_error) {
      return std::unexpected(*follow_error);
    }
    return std::unique_ptr<FollowedOutput>(std::make_unique<Output>(*this));
  }

  void log(std::string call) {
    const std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
  }

 private:
  // One connection; calls on a fresh one are logged with a "fresh " prefix.
  class Connection final : public ContainerOps {
   public:
    Connection(FakeEngine& engine, std::string kind) : engine_(engine), kind_(std::move(kind)) {}

    std::string engine_address() const override { return "unix:///fake/docker.sock"; }
    Result<engine::CreatedContainer> container_create(const engine::ContainerSpec& spec) override {
      {
        const std::lock_guard lock(engine_.mutex_);
        engine_.specs_.push_back(spec);
      }
      log("create " + spec.name);
      return engine_.on_create(spec);
    }
    Result<void> container_start(const std::string& id) override {
      log("start " + id);
      return engine_.on_start(id);
    }
    Result<engine::WaitResult> container_wait(const std::string& id,
                                              const engine::WaitOptions&) override {
      log("wait " + id);
      return engine_.on_wait(id);
    }
    Result<engine::ContainerInfo> container_inspect(const std::string& id) override {
      log("inspect " + id);
      return engine_.on_inspect(id);
    }
    Result<void> container_kill(const std::string& id) override {
      log("kill " + id);
      return engine_.on_kill(id);
    }
    Result<void> container_remove(const std::string& id) override {
      log("remove " + id);
      return engine_.on_remove(id);
    }
    Result<std::string> exec_create(const std::string& container,
                                    const engine::ExecSpec& spec) override {
      {
        const std::lock_guard lock(engine_.mutex_);
        engine_.execs_.push_back(spec);
      }
      log("exec_create " + container);
      return engine_.on_exec_create(container);
    }
    Result<void> exec_start(const std::string& exec_id, const engine::ExecStartOptions&,
                            const engine::LogSink& sink) override {
      log("exec_start " + exec_id);
      return engine_.on_exec_start(exec_id, sink);
    }
    Result<engine::ExecInfo> exec_inspect(const std::string& exec_id) override {
      log("exec_inspect " + exec_id);
      return engine_.on_exec_inspect(exec_id);
    }

   private:
    void log(const std::string& call) { engine_.log(kind_ == "fresh" ? "fresh " + call : call); }

    FakeEngine& engine_;
    std::string kind_;
  };

  class Output final : public FollowedOutput {
   public:
    explicit Output(FakeEngine& engine) : engine_(engine) {}
    Wait wait(std::optional<std::chrono::steady_clock::time_point>, std::stop_token) override {
      return engine_.output_wait;
    }
    Result<void> finish(std::chrono::milliseconds grace) override {
      engine_.log("output finish " + std::to_string(grace.count()) + "ms");
      return engine_.on_output_finish();
    }

   private:
    FakeEngine& engine_;
  };

  mutable std::mutex mutex_;
  std::vector<std::string> calls_;
  std::vector<engine::ContainerSpec> specs_;
  std::vector<engine::ExecSpec> execs_;
};

}  // namespace wharf::backends::test
