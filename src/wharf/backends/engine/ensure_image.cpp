#include "wharf/backends/engine/ensure_image.hpp"

#include <string_view>

#include "wharf/backends/engine/attempt_outcome.hpp"

namespace wharf::backends {
namespace {

// The digest in "repo@sha256:…" of the first repo digest for `repository`, or of any.
std::string repo_digest(const engine::ImageInfo& info, std::string_view repository) {
  std::string any;
  for (const auto& entry : info.repo_digests) {
    const auto at = entry.find('@');
    if (at == std::string::npos) {
      continue;
    }
    if (std::string_view(entry).substr(0, at) == repository) {
      return entry.substr(at + 1);
    }
    if (any.empty()) {
      any = entry.substr(at + 1);
    }
  }
  return any;
}

EnsuredImage describe(const engine::ImageInfo& info, const ImageReference& image, bool pulled) {
  auto short_repository = image.familiar();
  if (const auto colon = short_repository.rfind(':');
      colon != std::string::npos && image.tag() && !image.digest()) {
    short_repository.resize(colon);
  }
  auto digest = repo_digest(info, short_repository);
  if (digest.empty()) {
    digest = info.id;
  }
  return EnsuredImage{image.familiar(), info.id, std::move(digest), pulled};
}

}  // namespace

Result<EnsuredImage> ensure_image(engine::EngineClient& engine, const ImageReference& image,
                                  dispatch::PullPolicy policy,
                                  const engine::PullProgressHandler& on_progress) {
  const auto name = image.familiar();
  if (policy != dispatch::PullPolicy::always) {
    auto info = engine.image_inspect(name);
    if (info) {
      return describe(*info, image, false);
    }
    if (info.error().kind != ErrorKind::not_found) {
      return std::unexpected(info.error());
    }
    if (policy == dispatch::PullPolicy::never) {
      return fail(ErrorKind::not_found,
                  "image " + name + " is not present on " + engine.host().address +
                      " and --pull never forbids pulling it — run `wharf images pull " + name +
                      "` or `docker pull " + name + "`, or use --pull missing.");
    }
  }
  engine::PullOptions options;
  options.on_progress = on_progress;
  auto pulled = engine.image_pull(name, options);
  if (!pulled) {
    return std::unexpected(pulled.error());
  }
  auto info = engine.image_inspect(name);
  if (!info) {
    return std::unexpected(info.error());
  }
  auto ensured = describe(*info, image, true);
  if (!pulled->digest.empty()) {
    ensured.digest = pulled->digest;
  }
  return ensured;
}

Result<EnsuredImage> ensure_image_with(std::optional<ClientPool>& clients,
                                       const std::string& worker, const ImageReference& image,
                                       dispatch::PullPolicy policy,
                                       const dispatch::PrepareProgressHandler& on_progress) {
  if (!clients) {
    return fail(ErrorKind::internal, "worker " + worker + " has no engine to prepare images on.");
  }
  auto client = clients->acquire();
  engine::PullProgressHandler on_pull;
  if (on_progress) {
    on_pull = [&on_progress](const engine::PullProgress& progress) {
      on_progress(dispatch::PrepareProgress{progress.summary()});
    };
  }
  auto ensured = ensure_image(client, image, policy, on_pull);
  if (ensured || !is_connection_error(ensured.error())) {
    clients->release(std::move(client));
  }
  return ensured;
}

}  // namespace wharf::backends
