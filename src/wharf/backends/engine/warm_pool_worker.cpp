#include "wharf/backends/engine/warm_pool_worker.hpp"

#include <chrono>
#include <thread>

#include "wharf/backends/engine/attempt_outcome.hpp"
#include "wharf/backends/engine/engine_worker.hpp"
#include "wharf/backends/engine/ensure_image.hpp"
#include "wharf/backends/engine/task_output.hpp"
#include "wharf/engine/json_fields.hpp"

namespace wharf::backends {
namespace {

using dispatch::Attempt;
using dispatch::AttemptStatus;
using namespace std::chrono_literals;

// What the engine prints into an exec's stream when it cannot run the command at all (runc's
// wording since Docker 1.13); the exec then "exits" 126 or 127. In a fresh container the
// same mistake fails container start, so it is reported the same way: failed_to_start.
constexpr std::string_view kExecFailedPrefix = "OCI runtime exec failed";
constexpr std::size_t kOutputHeadBytes = 512;
constexpr int kExitCodePolls = 500;  // × 20 ms: 10 s.
constexpr int kSignalExitBase = 128;
constexpr int kLostContainerChecks =
    10;  // × 50 ms.  // Exit codes above it mean "killed by signal N - 128".

}  // namespace

Result<std::shared_ptr<WarmPoolWorker>> WarmPoolWorker::create(const engine::EngineClient& engine,
                                                               WarmPoolOptions options) {
  if (options.size == 0) {
    return fail(ErrorKind::invalid_input, "--warm must be at least 1.");
  }
  auto pool = std::make_shared<WarmPoolWorker>(engine, std::move(options));
  if (auto read = pool->read_image_config(); !read) {
    return std::unexpected(read.error());
  }
  return pool;
}

WarmPoolWorker::WarmPoolWorker(const engine::EngineClient& engine, WarmPoolOptions options)
    : options_(std::move(options)), clients_(engine), slots_(options_.size) {}

Result<void> WarmPoolWorker::read_image_config() {
  auto client = clients_.acquire();
  auto image = client.image_inspect(options_.image);
  if (!image) {
    return std::unexpected(image.error());
  }
  clients_.release(std::move(client));
  const auto& config = engine::json_fields::object_at(image->raw, "Config");
  entrypoint_ = engine::json_fields::strings_at(config, "Entrypoint");
  default_cmd_ = engine::json_fields::strings_at(config, "Cmd");
  return {};
}

Result<dispatch::PreparedImage> WarmPoolWorker::prepare(
    const ImageReference& image, dispatch::PullPolicy policy,
    const dispatch::PrepareProgressHandler& on_progress) {
  auto ensured = ensure_image_with(clients_, image, policy, on_progress);
  if (!ensured) {
    return std::unexpected(ensured.error());
  }
  options_.image = ensured->reference;
  options_.image_digest = ensured->digest;
  if (auto read = read_image_config(); !read) {
    return std::unexpected(read.error());
  }
  return dispatch::PreparedImage{ensured->reference, ensured->digest};
}

Result<std::size_t> WarmPoolWorker::sweep(const std::string& run_id) {
  return sweep_run_containers(clients_, options_.name, run_id);
}

Result<void> WarmPoolWorker::stop() {
  if (auto removed = shutdown(); !removed) {
    return std::unexpected(removed.error());
  }
  return {};
}

WarmPoolWorker::~WarmPoolWorker() {
  (void)shutdown();
}

std::string WarmPoolWorker::container_name(const std::string& run_id, std::size_t slot,
                                           unsigned generation) {
  return "wharf-" + run_id + "-warm-" + std::to_string(slot) + "-" + std::to_string(generation);
}

std::size_t WarmPoolWorker::claim_slot() {
  const std::lock_guard lock(slots_mutex_);
  for (std::size_t index = 0; index < slots_.size(); ++index) {
    if (!slots_[index].busy) {
      slots_[index].busy = true;
      return index;
    }
  }
  // The scheduler never runs more attempts than slots(); reaching this is a bug there.
  throw std::logic_error("WarmPoolWorker::run called with every slot busy");
}

void WarmPoolWorker::release_slot(std::size_t index, std::string container_id) {
  const std::lock_guard lock(slots_mutex_);
  slots_[index].container_id = std::move(container_id);
  slots_[index].busy = false;
}

Result<std::string> WarmPoolWorker::start_container(engine::EngineClient& client,
                                                    const std::string& run_id, std::size_t index,
                                                    unsigned generation) {
  engine::ContainerSpec spec;
  spec.image = options_.image;
  spec.name = container_name(run_id, index, generation);
  spec.entrypoint = options_.keep_alive;
  spec.network_mode = "none";
  spec.labels = {{std::string(kRunLabel), run_id},
                 {std::string(kPoolLabel), std::to_string(index)}};
  auto created = client.container_create(spec);
  if (!created) {
    return std::unexpected(created.error());
  }
  if (auto started = client.container_start(created->id); !started) {
    (void)client.container_remove(created->id);
    auto error = started.error();
    if (!is_connection_error(error)) {
      error.message += " The warm pool keeps its containers alive with `" +
                       options_.keep_alive.front() +
                       "`, so the worker image needs it; run without --warm otherwise.";
    }
    return std::unexpected(std::move(error));
  }
  return created->id;
}

Attempt WarmPoolWorker::run(const dispatch::TaskSpec& task,
                            const dispatch::AttemptContext& context) {
  if (context.cancel.cancelled()) {
    return attributed(ended(AttemptStatus::cancelled,
                            "the run was cancelled before task " + task.id + " started."),
                      options_.name, options_.image, options_.image_digest);
  }
  const auto index = claim_slot();
  std::string container_id;
  unsigned generation = 0;
  {
    const std::lock_guard lock(slots_mutex_);
    container_id = slots_[index].container_id;
    generation = slots_[index].generation;
  }
  auto client = clients_.acquire();
  bool connection_ok = true;
  // Drops the slot's container (the next task starts a fresh one): after a timeout or a
  // cancellation its processes must go, and after a connection error it is in doubt.
  const auto discard_container = [&] {
    if (container_id.empty()) {
      return;
    }
    auto removed = client.container_remove(container_id);
    if (!removed && removed.error().kind != ErrorKind::not_found) {
      auto fresh = clients_.fresh();
      (void)fresh.container_remove(container_id);
      connection_ok = false;
    }
    container_id.clear();
  };
  const auto finish = [&](Attempt attempt) {
    attempt = attributed(std::move(attempt), options_.name, options_.image, options_.image_digest);
    if (connection_ok) {
      clients_.release(std::move(client));
    }
    release_slot(index, container_id);
    return attempt;
  };
  // Starting the slot's container: as for a fresh container, an engine refusal (image gone,
  // keep-alive program missing) is the task's failed_to_start, no answer is the worker's.
  const auto start_failure = [&](const Error& error) {
    if (is_connection_error(error)) {
      connection_ok = false;
      return ended(AttemptStatus::infrastructure_error, error.message);
    }
    return ended(AttemptStatus::failed_to_start, error.message);
  };
  // Running the exec: an engine refusal means the container went away under the task (killed
  // or removed from outside), which costs this attempt, not the pool; no answer costs the
  // worker. Either way the container is in doubt and the slot starts a new one.
  const auto exec_failure = [&](const Error& error) {
    discard_container();
    auto attempt = ended(AttemptStatus::infrastructure_error, error.message);
    attempt.worker_usable = !is_connection_error(error);
    connection_ok = connection_ok && attempt.worker_usable;
    return attempt;
  };

  engine::ExecSpec exec;
  exec.cmd = entrypoint_;
  const auto& args = task.args.empty() ? default_cmd_ : task.args;
  exec.cmd.insert(exec.cmd.end(), args.begin(), args.end());
  exec.env = task.env;

  // A container that died between tasks (OOM, someone removed it) is replaced once.
  Result<std::string> exec_id = std::unexpected(Error{});
  for (int round = 0; round < 2; ++round) {
    if (container_id.empty()) {
      auto started = start_container(client, context.run_id, index, ++generation);
      {
        const std::lock_guard lock(slots_mutex_);
        slots_[index].generation = generation;
      }
      if (!started) {
        connection_ok = !is_connection_error(started.error());
        return finish(start_failure(started.error()));
      }
      container_id = *started;
    }
    exec_id = client.exec_create(container_id, exec);
    if (exec_id || (exec_id.error().kind != ErrorKind::conflict &&
                    exec_id.error().kind != ErrorKind::not_found)) {
      break;
    }
    discard_container();
  }
  if (!exec_id) {
    return finish(exec_failure(exec_id.error()));
  }

  auto output = TaskOutput::open(options_.logs_dir, task.id, options_.live_output);
  if (!output) {
    return finish(ended(AttemptStatus::infrastructure_error, output.error().message));
  }
  std::string head;  // The first bytes, to recognise the engine's "cannot exec" message.
  auto to_log = output->sink();
  const engine::LogSink sink = [&](engine::LogStream stream, std::string_view bytes) {
    if (head.size() < kOutputHeadBytes) {
      head.append(bytes.substr(0, kOutputHeadBytes - head.size()));
    }
    to_log(stream, bytes);
  };
  engine::ExecStartOptions start_options;
  start_options.timeout = task.timeout.value_or(engine::kNoTimeout);
  start_options.cancel = context.cancel.stop_token();
  auto streamed = client.exec_start(*exec_id, start_options, sink);
  output->close();

  Attempt attempt;
  attempt.log_path = output->path();
  if (!streamed) {
    const auto& error = streamed.error();
    if (error.kind == ErrorKind::timeout && task.timeout) {
      discard_container();
      attempt.status = AttemptStatus::timed_out;
      attempt.error = "task " + task.id + " was killed after its timeout of " +
                      engine::describe_duration(*task.timeout) + ".";
    } else if (error.kind == ErrorKind::cancelled || context.cancel.cancelled()) {
      discard_container();
      attempt.status = AttemptStatus::cancelled;
      attempt.error = "task " + task.id + " was stopped because the run was cancelled.";
    } else {
      attempt = exec_failure(error);
      attempt.log_path = output->path();
    }
    return finish(attempt);
  }

  // The engine closes the stream when the command exits, and records the exit code at about
  // the same moment; a poll covers the gap, generously, since a loaded engine can lag.
  std::optional<int> exit_code;
  for (int poll = 0; poll < kExitCodePolls && !exit_code; ++poll) {
    auto inspected = client.exec_inspect(*exec_id);
    if (!inspected) {
      attempt = exec_failure(inspected.error());
      attempt.log_path = output->path();
      return finish(attempt);
    }
    exit_code = inspected->exit_code;
    if (!exit_code) {
      std::this_thread::sleep_for(20ms);
    }
  }
  if (!exit_code) {
    discard_container();
    attempt.worker_usable = true;
    attempt.status = AttemptStatus::infrastructure_error;
    attempt.error = "the Docker engine at " + client.host().address +
                    " closed the output of task " + task.id + " but never reported its exit code.";
    return finish(attempt);
  }
  // Killed by a signal: was it the task alone, or did its container go (killed or removed
  // from outside)? Only the latter is checked for, and it costs the attempt, not the pool.
  if (*exit_code >= kSignalExitBase) {
    // A removal from outside kills the processes before the container leaves the running
    // state, so the check is repeated for a moment.
    auto info = client.container_inspect(container_id);
    for (int check = 1; check < kLostContainerChecks && info && info->state.running; ++check) {
      std::this_thread::sleep_for(50ms);
      info = client.container_inspect(container_id);
    }
    if (!info || !info->state.running) {
      const auto reason = info ? "stopped" : "was removed";
      auto lost = ended(AttemptStatus::infrastructure_error,
                        "the warm container of task " + task.id + " " + reason +
                            " while the task ran; the slot starts a new one.");
      lost.worker_usable = true;
      lost.log_path = output->path();
      if (!info && is_connection_error(info.error())) {
        lost = exec_failure(info.error());
      }
      discard_container();
      return finish(lost);
    }
  }
  if ((*exit_code == 126 || *exit_code == 127) && head.starts_with(kExecFailedPrefix)) {
    attempt.status = AttemptStatus::failed_to_start;
    attempt.error = "task " + task.id +
                    " could not start: " + head.substr(0, head.find_last_not_of("\r\n") + 1);
    return finish(attempt);
  }
  attempt.status = AttemptStatus::completed;
  attempt.exit_code = *exit_code;
  if (*exit_code != 0) {
    attempt.error = "task " + task.id + " exited with code " + std::to_string(*exit_code) + ".";
  }
  return finish(attempt);
}

Result<std::size_t> WarmPoolWorker::shutdown() {
  std::vector<std::string> containers;
  {
    const std::lock_guard lock(slots_mutex_);
    for (auto& slot : slots_) {
      if (!slot.container_id.empty()) {
        containers.push_back(std::exchange(slot.container_id, {}));
      }
    }
  }
  if (containers.empty()) {
    return std::size_t{0};
  }
  auto client = clients_.fresh();
  std::size_t removed = 0;
  std::optional<Error> first_error;
  for (const auto& id : containers) {
    auto done = client.container_remove(id);
    if (done) {
      ++removed;
    } else if (done.error().kind != ErrorKind::not_found && !first_error) {
      first_error = done.error();
    }
  }
  if (first_error) {
    return std::unexpected(std::move(*first_error));
  }
  return removed;
}

}  // namespace wharf::backends
