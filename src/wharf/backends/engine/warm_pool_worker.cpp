#include "wharf/backends/engine/warm_pool_worker.hpp"

#include <chrono>
#include <expected>
#include <optional>
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
constexpr int kExitCodePolls = 500;       // × 20 ms: 10 s.
constexpr int kSignalExitBase = 128;      // Exit codes above it mean "killed by signal N - 128".
constexpr int kLostContainerChecks = 10;  // × 50 ms.

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

Result<std::shared_ptr<WarmPoolWorker>> WarmPoolWorker::create(
    std::shared_ptr<ContainerOpsSource> ops, WarmPoolOptions options,
    std::vector<std::string> entrypoint, std::vector<std::string> default_cmd) {
  if (options.size == 0) {
    return fail(ErrorKind::invalid_input, "--warm must be at least 1.");
  }
  return std::shared_ptr<WarmPoolWorker>(new WarmPoolWorker(
      std::move(ops), std::move(options), std::move(entrypoint), std::move(default_cmd)));
}

WarmPoolWorker::WarmPoolWorker(const engine::EngineClient& engine, WarmPoolOptions options)
    : WarmPoolWorker(engine_container_ops(engine), std::move(options), {}, {}) {
  engine_clients_.emplace(engine);
}

WarmPoolWorker::WarmPoolWorker(std::shared_ptr<ContainerOpsSource> ops, WarmPoolOptions options,
                               std::vector<std::string> entrypoint,
                               std::vector<std::string> default_cmd)
    : options_(std::move(options)),
      entrypoint_(std::move(entrypoint)),
      default_cmd_(std::move(default_cmd)),
      ops_(std::move(ops)),
      slots_(options_.size) {}

Result<void> WarmPoolWorker::read_image_config() {
  if (!engine_clients_) {
    return fail(ErrorKind::internal,
                "worker " + options_.name + " has no engine to read the image's config from.");
  }
  auto client = engine_clients_->acquire();
  auto image = client.image_inspect(options_.image);
  if (!image) {
    return std::unexpected(image.error());
  }
  engine_clients_->release(std::move(client));
  const auto& config = engine::json_fields::object_at(image->raw, "Config");
  entrypoint_ = engine::json_fields::strings_at(config, "Entrypoint");
  default_cmd_ = engine::json_fields::strings_at(config, "Cmd");
  return {};
}

Result<dispatch::PreparedImage> WarmPoolWorker::prepare(
    const ImageReference& image, dispatch::PullPolicy policy,
    const dispatch::PrepareProgressHandler& on_progress) {
  auto ensured = ensure_image_with(engine_clients_, options_.name, image, policy, on_progress);
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
  return sweep_run_containers(engine_clients_, options_.name, run_id);
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

Result<std::string> WarmPoolWorker::start_container(ContainerOps& ops, const std::string& run_id,
                                                    std::size_t index, unsigned generation) {
  engine::ContainerSpec spec;
  spec.image = options_.image;
  spec.name = container_name(run_id, index, generation);
  spec.entrypoint = options_.keep_alive;
  spec.network_mode = "none";
  spec.labels = {{std::string(kRunLabel), run_id},
                 {std::string(kPoolLabel), std::to_string(index)}};
  auto created = ops.container_create(spec);
  if (!created) {
    return std::unexpected(created.error());
  }
  if (auto started = ops.container_start(created->id); !started) {
    (void)ops.container_remove(created->id);
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

// One run() call in a claimed slot: the connection it borrowed, the slot's container, and
// the decisions along the way. Every path ends in finish(), which hands the slot (and the
// container, when it is still trusted) to the next task and gives the connection back while
// it is still good.
class WarmPoolWorker::SlotRun {
 public:
  SlotRun(WarmPoolWorker& worker, const dispatch::TaskSpec& task,
          const dispatch::AttemptContext& context);

  [[nodiscard]] Attempt run();

 private:
  [[nodiscard]] std::expected<std::string, Attempt> create_exec();
  [[nodiscard]] std::optional<Attempt> start_slot_container();
  [[nodiscard]] Result<void> stream_exec(const std::string& exec_id, TaskOutput& output);
  [[nodiscard]] Attempt exec_interrupted(const Error& error);
  [[nodiscard]] std::expected<int, Attempt> read_exit_code(const std::string& exec_id);
  [[nodiscard]] std::optional<Attempt> lost_container();
  [[nodiscard]] Attempt exited(int exit_code) const;
  [[nodiscard]] Attempt start_failure(const Error& error);
  [[nodiscard]] Attempt exec_failure(const Error& error);
  void discard_container();
  [[nodiscard]] Attempt with_log(Attempt attempt) const;
  [[nodiscard]] Attempt finish(Attempt attempt);

  WarmPoolWorker& worker_;
  const dispatch::TaskSpec& task_;
  const dispatch::AttemptContext& context_;
  std::size_t index_;
  std::string container_id_;  // The slot's container; empty when it has none (or lost it).
  unsigned generation_ = 0;
  std::unique_ptr<ContainerOps> ops_;
  bool connection_ok_ = true;
  std::string log_path_;  // The task's log, once opened.
  std::string head_;      // The output's first bytes, to recognise "cannot exec".
};

Attempt WarmPoolWorker::run(const dispatch::TaskSpec& task,
                            const dispatch::AttemptContext& context) {
  if (context.cancel.cancelled()) {
    return attributed(ended(AttemptStatus::cancelled,
                            "the run was cancelled before task " + task.id + " started."),
                      options_.name, options_.image, options_.image_digest);
  }
  return SlotRun(*this, task, context).run();
}

WarmPoolWorker::SlotRun::SlotRun(WarmPoolWorker& worker, const dispatch::TaskSpec& task,
                                 const dispatch::AttemptContext& context)
    : worker_(worker), task_(task), context_(context), index_(worker.claim_slot()) {
  {
    const std::lock_guard lock(worker_.slots_mutex_);
    container_id_ = worker_.slots_[index_].container_id;
    generation_ = worker_.slots_[index_].generation;
  }
  ops_ = worker_.ops_->acquire();
}

Attempt WarmPoolWorker::SlotRun::run() {
  auto exec_id = create_exec();
  if (!exec_id) {
    return finish(std::move(exec_id.error()));
  }
  const auto& options = worker_.options_;
  auto output = TaskOutput::open(options.logs_dir, task_.id, options.live_output);
  if (!output) {
    return finish(ended(AttemptStatus::infrastructure_error, output.error().message));
  }
  log_path_ = output->path();
  if (auto streamed = stream_exec(*exec_id, *output); !streamed) {
    return finish(exec_interrupted(streamed.error()));
  }
  auto exit_code = read_exit_code(*exec_id);
  if (!exit_code) {
    return finish(std::move(exit_code.error()));
  }
  // Killed by a signal: was it the task alone, or did its container go (killed or removed
  // from outside)? Only the latter is checked for, and it costs the attempt, not the pool.
  if (*exit_code >= kSignalExitBase) {
    if (auto lost = lost_container()) {
      return finish(std::move(*lost));
    }
  }
  return finish(exited(*exit_code));
}

// Prepares the task's exec in the slot's container, starting one when the slot has none. A
// container that died between tasks (OOM, someone removed it) is replaced once.
std::expected<std::string, Attempt> WarmPoolWorker::SlotRun::create_exec() {
  engine::ExecSpec exec;
  exec.cmd = worker_.entrypoint_;
  const auto& args = task_.args.empty() ? worker_.default_cmd_ : task_.args;
  exec.cmd.insert(exec.cmd.end(), args.begin(), args.end());
  exec.env = task_.env;

  Result<std::string> exec_id = std::unexpected(Error{});
  for (int round = 0; round < 2; ++round) {
    if (container_id_.empty()) {
      if (auto failed = start_slot_container()) {
        return std::unexpected(std::move(*failed));
      }
    }
    exec_id = ops_->exec_create(container_id_, exec);
    if (exec_id || (exec_id.error().kind != ErrorKind::conflict &&
                    exec_id.error().kind != ErrorKind::not_found)) {
      break;
    }
    discard_container();
  }
  if (!exec_id) {
    return std::unexpected(exec_failure(exec_id.error()));
  }
  return std::move(*exec_id);
}

// Starts the slot's next container; returns how the attempt ended when that failed.
std::optional<Attempt> WarmPoolWorker::SlotRun::start_slot_container() {
  auto started = worker_.start_container(*ops_, context_.run_id, index_, ++generation_);
  {
    const std::lock_guard lock(worker_.slots_mutex_);
    worker_.slots_[index_].generation = generation_;
  }
  if (!started) {
    connection_ok_ = !is_connection_error(started.error());
    return start_failure(started.error());
  }
  container_id_ = *started;
  return std::nullopt;
}

// Runs the exec until it exits, its timeout runs out or the run is cancelled, with its
// output going to `output` (closed after).
Result<void> WarmPoolWorker::SlotRun::stream_exec(const std::string& exec_id, TaskOutput& output) {
  auto to_log = output.sink();
  const engine::LogSink sink = [&](engine::LogStream stream, std::string_view bytes) {
    if (head_.size() < kOutputHeadBytes) {
      head_.append(bytes.substr(0, kOutputHeadBytes - head_.size()));
    }
    to_log(stream, bytes);
  };
  engine::ExecStartOptions start_options;
  start_options.timeout = task_.timeout.value_or(engine::kNoTimeout);
  start_options.cancel = context_.cancel.stop_token();
  auto streamed = ops_->exec_start(exec_id, start_options, sink);
  output.close();
  return streamed;
}

// The exec's stream ended early: a timeout or a cancellation takes the container with it
// (the only way to be sure the task's processes are gone); anything else is a failed exec.
Attempt WarmPoolWorker::SlotRun::exec_interrupted(const Error& error) {
  if (error.kind == ErrorKind::timeout && task_.timeout) {
    discard_container();
    return with_log(timed_out(task_.id, *task_.timeout));
  }
  if (error.kind == ErrorKind::cancelled || context_.cancel.cancelled()) {
    discard_container();
    return with_log(cancelled_while_running(task_.id));
  }
  return with_log(exec_failure(error));
}

// The engine closes the stream when the command exits, and records the exit code at about
// the same moment; a poll covers the gap, generously, since a loaded engine can lag.
std::expected<int, Attempt> WarmPoolWorker::SlotRun::read_exit_code(const std::string& exec_id) {
  for (int poll = 0; poll < kExitCodePolls; ++poll) {
    auto inspected = ops_->exec_inspect(exec_id);
    if (!inspected) {
      return std::unexpected(with_log(exec_failure(inspected.error())));
    }
    if (inspected->exit_code) {
      return *inspected->exit_code;
    }
    std::this_thread::sleep_for(20ms);
  }
  discard_container();
  auto attempt = with_log(
      ended(AttemptStatus::infrastructure_error, "the Docker engine at " + ops_->engine_address() +
                                                     " closed the output of task " + task_.id +
                                                     " but never reported its exit code."));
  attempt.worker_usable = true;
  return std::unexpected(std::move(attempt));
}

// After an exit by signal: how the attempt ended when the slot's container went with it,
// nothing when it still runs.
std::optional<Attempt> WarmPoolWorker::SlotRun::lost_container() {
  // A removal from outside kills the processes before the container leaves the running
  // state, so the check is repeated for a moment.
  auto info = ops_->container_inspect(container_id_);
  for (int check = 1; check < kLostContainerChecks && info && info->state.running; ++check) {
    std::this_thread::sleep_for(50ms);
    info = ops_->container_inspect(container_id_);
  }
  if (info && info->state.running) {
    return std::nullopt;
  }
  if (!info && is_connection_error(info.error())) {
    return exec_failure(info.error());  // Without the log path, as it always was.
  }
  const auto reason = info ? "stopped" : "was removed";
  auto lost = with_log(ended(AttemptStatus::infrastructure_error,
                             "the warm container of task " + task_.id + " " + reason +
                                 " while the task ran; the slot starts a new one."));
  lost.worker_usable = true;
  discard_container();
  return lost;
}

// The exec ran to its end with `exit_code`, unless the engine could not run the command.
Attempt WarmPoolWorker::SlotRun::exited(int exit_code) const {
  auto attempt = with_log(Attempt{});
  if ((exit_code == 126 || exit_code == 127) && head_.starts_with(kExecFailedPrefix)) {
    attempt.status = AttemptStatus::failed_to_start;
    attempt.error = "task " + task_.id +
                    " could not start: " + head_.substr(0, head_.find_last_not_of("\r\n") + 1);
    return attempt;
  }
  attempt.status = AttemptStatus::completed;
  attempt.exit_code = exit_code;
  if (exit_code != 0) {
    attempt.error = "task " + task_.id + " exited with code " + std::to_string(exit_code) + ".";
  }
  return attempt;
}

// Starting the slot's container: as for a fresh container, an engine refusal (image gone,
// keep-alive program missing) is the task's failed_to_start, no answer is the worker's.
Attempt WarmPoolWorker::SlotRun::start_failure(const Error& error) {
  if (is_connection_error(error)) {
    connection_ok_ = false;
    return ended(AttemptStatus::infrastructure_error, error.message);
  }
  return ended(AttemptStatus::failed_to_start, error.message);
}

// Running the exec: an engine refusal means the container went away under the task (killed
// or removed from outside), which costs this attempt, not the pool; no answer costs the
// worker. Either way the container is in doubt and the slot starts a new one.
Attempt WarmPoolWorker::SlotRun::exec_failure(const Error& error) {
  discard_container();
  auto attempt = ended(AttemptStatus::infrastructure_error, error.message);
  attempt.worker_usable = !is_connection_error(error);
  connection_ok_ = connection_ok_ && attempt.worker_usable;
  return attempt;
}

// Drops the slot's container (the next task starts a fresh one): after a timeout or a
// cancellation its processes must go, and after a connection error it is in doubt.
void WarmPoolWorker::SlotRun::discard_container() {
  if (container_id_.empty()) {
    return;
  }
  auto removed = ops_->container_remove(container_id_);
  if (!removed && removed.error().kind != ErrorKind::not_found) {
    (void)worker_.ops_->fresh()->container_remove(container_id_);
    connection_ok_ = false;
  }
  container_id_.clear();
}

Attempt WarmPoolWorker::SlotRun::with_log(Attempt attempt) const {
  attempt.log_path = log_path_;
  return attempt;
}

Attempt WarmPoolWorker::SlotRun::finish(Attempt attempt) {
  const auto& options = worker_.options_;
  attempt = attributed(std::move(attempt), options.name, options.image, options.image_digest);
  if (connection_ok_) {
    worker_.ops_->release(std::move(ops_));
  }
  worker_.release_slot(index_, container_id_);
  return attempt;
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
  auto ops = ops_->fresh();
  std::size_t removed = 0;
  std::optional<Error> first_error;
  for (const auto& id : containers) {
    auto done = ops->container_remove(id);
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
