#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "wharf/backends/engine/container_ops.hpp"
#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"

namespace wharf::backends {

/// A container's output, read through the engine's attach endpoint on a thread of its own.
///
/// Attaching before the container starts is what makes a task's output exact: the bytes
/// arrive as the task wrote them (binary and invalid UTF-8 included, since nothing passes
/// through the log driver), and the stream ends only after the last of them, even without a
/// final newline. The followed logs endpoint of Docker 20.10 guarantees neither.
///
/// Usage: open() (returns once attached), start the container, wait(), then finish().
class OutputAttachment final : public FollowedOutput {
 public:
  /// Attaches `client` (whose connection the engine then takes over, so give it one of its
  /// own) to the created container `id`, streaming into `sink` from a new thread. Returns
  /// once the engine has attached, or the error that stopped it; gives up after `timeout`.
  [[nodiscard]] static Result<std::unique_ptr<OutputAttachment>> open(
      engine::EngineClient client, const std::string& id, engine::LogSink sink,
      std::chrono::milliseconds timeout = engine::kDefaultCallTimeout);

  OutputAttachment(const OutputAttachment&) = delete;
  OutputAttachment& operator=(const OutputAttachment&) = delete;
  /// Cuts the stream if it still runs and joins the thread.
  ~OutputAttachment() override;

  [[nodiscard]] Wait wait(std::optional<std::chrono::steady_clock::time_point> deadline,
                          std::stop_token cancel) override;
  [[nodiscard]] Result<void> finish(std::chrono::milliseconds grace) override;

 private:
  OutputAttachment(engine::EngineClient client, std::string id, engine::LogSink sink);
  void read_output();

  enum class State { attaching, attached, ended };

  engine::EngineClient client_;
  std::string id_;
  engine::LogSink sink_;
  std::mutex mutex_;
  std::condition_variable_any changed_;
  State state_ = State::attaching;
  std::optional<Result<void>> result_;
  std::stop_source cut_;
  std::thread reader_;  // Last: started after everything it uses, joined before they go.
};

}  // namespace wharf::backends
