#include "wharf/workers/worker_pull.hpp"

#include <thread>

namespace wharf::workers {

std::vector<PullOutcome> pull_on_workers(std::vector<ConnectedWorker>& workers,
                                         const ImageReference& image,
                                         const WorkerPullObserver& observer) {
  std::vector<PullOutcome> outcomes(workers.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t index = 0; index < workers.size(); ++index) {
      auto& worker = workers[index];
      auto& outcome = outcomes[index];
      outcome.name = worker.entry.name;
      if (!worker.engine) {
        outcome.error = worker.error;
        continue;
      }
      threads.emplace_back([&, index] {
        const auto started = std::chrono::steady_clock::now();
        engine::PullOptions options;
        if (observer) {
          options.on_progress = [&, index](const engine::PullProgress& progress) {
            observer(index, progress);
          };
        }
        auto pulled = worker.engine->image_pull(image.familiar(), options);
        outcome.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        if (pulled) {
          outcome.ok = true;
          outcome.digest = pulled->digest;
          outcome.status = pulled->status;
        } else {
          auto error = pulled.error();
          error.message = "worker " + worker.entry.name + ": " + error.message;
          outcome.error = std::move(error);
        }
      });
    }
  }
  return outcomes;
}

}  // namespace wharf::workers
