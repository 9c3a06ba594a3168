#include "wharf/backends/engine/output_attachment.hpp"

namespace wharf::backends {

OutputAttachment::OutputAttachment(engine::EngineClient client, std::string id,
                                   engine::LogSink sink)
    : client_(std::move(client)), id_(std::move(id)), sink_(std::move(sink)) {}

OutputAttachment::~OutputAttachment() {
  cut_.request_stop();
  if (reader_.joinable()) {
    reader_.join();
  }
}

Result<std::unique_ptr<OutputAttachment>> OutputAttachment::open(
    engine::EngineClient client, const std::string& id, engine::LogSink sink,
    std::chrono::milliseconds timeout) {
  std::unique_ptr<OutputAttachment> attachment(
      new OutputAttachment(std::move(client), id, std::move(sink)));
  attachment->reader_ = std::thread([raw = attachment.get()] { raw->read_output(); });
  std::unique_lock lock(attachment->mutex_);
  const bool settled = attachment->changed_.wait_for(
      lock, timeout, [&] { return attachment->state_ != State::attaching; });
  if (attachment->state_ == State::attached) {
    return attachment;
  }
  if (!settled) {
    lock.unlock();
    return fail(ErrorKind::timeout, "the Docker engine at " + attachment->client_.host().address +
                                        " did not attach to container " + id + " within " +
                                        engine::describe_duration(timeout) + ".");
  }
  if (attachment->result_ && !*attachment->result_) {
    return std::unexpected(attachment->result_->error());
  }
  return fail(ErrorKind::remote, "the Docker engine at " + attachment->client_.host().address +
                                     " ended the attach to container " + id +
                                     " before it was attached.");
}

void OutputAttachment::read_output() {
  engine::AttachOptions options;
  options.tty = false;
  options.timeout = engine::kNoTimeout;
  options.cancel = cut_.get_token();
  options.on_attached = [this] {
    const std::lock_guard lock(mutex_);
    state_ = State::attached;
    changed_.notify_all();
  };
  auto result = client_.container_attach(id_, options, sink_);
  const std::lock_guard lock(mutex_);
  result_ = std::move(result);
  state_ = State::ended;
  changed_.notify_all();
}

OutputAttachment::Wait OutputAttachment::wait(
    std::optional<std::chrono::steady_clock::time_point> deadline, std::stop_token cancel) {
  std::unique_lock lock(mutex_);
  const auto ended = [this] { return state_ == State::ended; };
  if (deadline) {
    if (changed_.wait_until(lock, cancel, *deadline, ended)) {
      return Wait::drained;
    }
  } else if (changed_.wait(lock, cancel, ended)) {
    return Wait::drained;
  }
  return cancel.stop_requested() ? Wait::cancelled : Wait::deadline;
}

Result<void> OutputAttachment::finish(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, grace, [this] { return state_ == State::ended; });
  }
  cut_.request_stop();
  if (reader_.joinable()) {
    reader_.join();
  }
  const std::lock_guard lock(mutex_);
  return result_ ? *result_ : Result<void>{};
}

}  // namespace wharf::backends
