#include "wharf/backends/engine/container_ops.hpp"

#include "wharf/backends/engine/client_pool.hpp"
#include "wharf/backends/engine/output_attachment.hpp"

namespace wharf::backends {
namespace {

// One EngineClient's calls, as they are.
class EngineContainerOps final : public ContainerOps {
 public:
  explicit EngineContainerOps(engine::EngineClient client) : client_(std::move(client)) {}

  [[nodiscard]] engine::EngineClient take_client() && { return std::move(client_); }

  [[nodiscard]] std::string engine_address() const override { return client_.host().address; }

  Result<engine::CreatedContainer> container_create(const engine::ContainerSpec& spec) override {
    return client_.container_create(spec);
  }
  Result<void> container_start(const std::string& id) override {
    return client_.container_start(id);
  }
  Result<engine::WaitResult> container_wait(const std::string& id,
                                            const engine::WaitOptions& options) override {
    return client_.container_wait(id, options);
  }
  Result<engine::ContainerInfo> container_inspect(const std::string& id) override {
    return client_.container_inspect(id);
  }
  Result<void> container_kill(const std::string& id) override { return client_.container_kill(id); }
  Result<void> container_remove(const std::string& id) override {
    return client_.container_remove(id);
  }
  Result<std::string> exec_create(const std::string& container,
                                  const engine::ExecSpec& spec) override {
    return client_.exec_create(container, spec);
  }
  Result<void> exec_start(const std::string& exec_id, const engine::ExecStartOptions& options,
                          const engine::LogSink& sink) override {
    return client_.exec_start(exec_id, options, sink);
  }
  Result<engine::ExecInfo> exec_inspect(const std::string& exec_id) override {
    return client_.exec_inspect(exec_id);
  }

 private:
  engine::EngineClient client_;
};

// EngineClient clones kept in a ClientPool, each handed out wrapped in EngineContainerOps.
class EngineContainerOpsSource final : public ContainerOpsSource {
 public:
  explicit EngineContainerOpsSource(const engine::EngineClient& engine) : clients_(engine) {}

  std::unique_ptr<ContainerOps> acquire() override {
    return std::make_unique<EngineContainerOps>(clients_.acquire());
  }
  void release(std::unique_ptr<ContainerOps> ops) override {
    // Only this source's own connections go back into its pool.
    if (auto* own = dynamic_cast<EngineContainerOps*>(ops.get())) {
      clients_.release(std::move(*own).take_client());
    }
  }
  std::unique_ptr<ContainerOps> fresh() override {
    return std::make_unique<EngineContainerOps>(clients_.fresh());
  }
  Result<std::unique_ptr<FollowedOutput>> follow_output(const std::string& id,
                                                        engine::LogSink sink) override {
    auto attachment = OutputAttachment::open(clients_.fresh(), id, std::move(sink));
    if (!attachment) {
      return std::unexpected(attachment.error());
    }
    return std::unique_ptr<FollowedOutput>(std::move(*attachment));
  }

 private:
  ClientPool clients_;
};

}  // namespace

std::shared_ptr<ContainerOpsSource> engine_container_ops(const engine::EngineClient& engine) {
  return std::make_shared<EngineContainerOpsSource>(engine);
}

}  // namespace wharf::backends
