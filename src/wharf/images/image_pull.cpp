#include "wharf/images/image_pull.hpp"

#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

namespace wharf::images {

std::optional<engine::RegistryAuth> engine_auth(const registry::FoundCredentials& found,
                                                const ImageReference& image) {
  if (!found.credentials || found.credentials->empty()) {
    return std::nullopt;
  }
  return engine::RegistryAuth{.username = found.credentials->username,
                              .password = found.credentials->password,
                              .server_address = image.domain(),
                              .identity_token = found.credentials->identity_token};
}

nlohmann::json ImagePullOutcome::to_json() const {
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
  };
  return {{"image", image.familiar()},
          {"ok", ok},
          {"updated", updated},
          {"previous_id", text_or_null(previous_id)},
          {"id", text_or_null(id)},
          {"digest", text_or_null(digest)},
          {"duration_ms", duration.count()},
          {"error", error ? nlohmann::json(error->message) : nlohmann::json(nullptr)}};
}

std::vector<ImagePullOutcome> pull_images(const engine::EngineClient& engine,
                                          registry::RegistryClient& registry,
                                          std::span<const ImageReference> images,
                                          const ImagePullObserver& observer, std::stop_token cancel,
                                          std::size_t parallel) {
  std::vector<ImagePullOutcome> outcomes(images.size());
  // Credential helpers run here, on this thread: the registry client is not thread-safe.
  std::vector<std::optional<engine::RegistryAuth>> auths(images.size());
  for (std::size_t index = 0; index < images.size(); ++index) {
    outcomes[index].image = images[index];
    auto found = registry.credentials_for(images[index]);
    if (!found) {
      outcomes[index].error = std::move(found.error());
      continue;
    }
    auths[index] = engine_auth(*found, images[index]);
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    auto client = engine.clone();
    for (std::size_t index = next++; index < images.size(); index = next++) {
      auto& outcome = outcomes[index];
      if (outcome.error || cancel.stop_requested()) {
        continue;
      }
      const auto started = std::chrono::steady_clock::now();
      const auto name = outcome.image.familiar();
      if (auto before = client.image_inspect(name)) {
        outcome.previous_id = before->id;
      }
      engine::PullOptions options;
      options.auth = auths[index];
      options.cancel = cancel;
      if (observer) {
        options.on_progress = [&, index](const engine::PullProgress& progress) {
          observer(index, progress);
        };
      }
      auto pulled = client.image_pull(name, options);
      if (pulled) {
        outcome.digest = pulled->digest;
        auto after = client.image_inspect(name);
        if (after) {
          outcome.ok = true;
          outcome.id = after->id;
          outcome.updated = outcome.id != outcome.previous_id;
        } else {
          outcome.error = std::move(after.error());
        }
      } else {
        outcome.error = std::move(pulled.error());
      }
      outcome.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
    }
  };
  {
    std::vector<std::jthread> threads;
    const std::size_t count = std::min(std::max<std::size_t>(parallel, 1), images.size());
    for (std::size_t i = 0; i < count; ++i) {
      threads.emplace_back(work);
    }
  }
  for (auto& outcome : outcomes) {
    if (!outcome.ok && !outcome.error && cancel.stop_requested()) {
      outcome.error = Error::make(ErrorKind::cancelled, "the pull of " + outcome.image.familiar() +
                                                            " was not started: interrupted.");
    }
  }
  return outcomes;
}

}  // namespace wharf::images
