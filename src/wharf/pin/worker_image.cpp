#include "wharf/pin/worker_image.hpp"

#include <cstdlib>
#include <optional>
#include <string>

#include "wharf/pin/env_update.hpp"

namespace wharf::pin {
namespace {

std::optional<std::string> non_empty(std::optional<std::string> value) {
  if (value && value->empty()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

Result<ImageReference> check_pinned_image(std::string_view text, std::string_view origin,
                                          bool allow_unpinned) {
  auto reference = ImageReference::parse(text);
  if (!reference) {
    return fail(ErrorKind::invalid_input,
                "the worker image " + std::string(origin) +
                    " is not a valid image reference: " + reference.error().message);
  }
  if (allow_unpinned || reference->digest()) {
    return reference;
  }
  if (!reference->has_explicit_tag() || reference->tag() == "latest") {
    return fail(ErrorKind::invalid_input,
                "the worker image " + std::string(text) + " (from " + std::string(origin) +
                    ") is not pinned: tag '" + reference->tag().value_or("latest") +
                    "' can change under you — run `wharf pin` to pin a release tag, or pass "
                    "--allow-unpinned to run it anyway.");
  }
  return reference;
}

Result<ImageReference> resolve_worker_image(const ProjectLayout& layout, bool allow_unpinned) {
  const std::string key(kTaskExecutorImageKey);
  if (const char* value = std::getenv(key.c_str()); value != nullptr && *value != '\0') {
    return check_pinned_image(value, "the environment variable " + key, allow_unpinned);
  }
  const auto env_path = layout.env_file();
  auto env = load_env_file(env_path);
  if (!env) {
    if (env.error().kind == ErrorKind::not_found) {
      return fail(ErrorKind::invalid_input,
                  "cannot tell which worker image to use: " + env_path.string() +
                      " does not exist — run `wharf pin` in the project, or pass --image.");
    }
    return std::unexpected(env.error());
  }
  const std::string origin = env_path.string();
  if (auto executor = non_empty(env->get(kTaskExecutorImageKey))) {
    return check_pinned_image(*executor, origin + " (" + key + ")", allow_unpinned);
  }
  auto repository = non_empty(env->get(kWorkerImageKey));
  if (!repository) {
    return fail(ErrorKind::invalid_input,
                origin + " sets neither " + key + " nor " + std::string(kWorkerImageKey) +
                    ", so wharf does not know the worker image — add WORKER_IMAGE=<repository> "
                    "and run `wharf pin`, or pass --image.");
  }
  auto tag = non_empty(env->get(kImageTagKey));
  if (!tag) {
    if (!allow_unpinned) {
      return fail(ErrorKind::invalid_input,
                  origin + " has no " + std::string(kImageTagKey) + ", so the worker image " +
                      *repository +
                      " is not pinned — run `wharf pin` to pin a release tag, or pass "
                      "--allow-unpinned to run it anyway.");
    }
    return check_pinned_image(*repository, origin + " (WORKER_IMAGE)", allow_unpinned);
  }
  return check_pinned_image(*repository + ":" + *tag, origin + " (WORKER_IMAGE:IMAGE_TAG)",
                            allow_unpinned);
}

}  // namespace wharf::pin
