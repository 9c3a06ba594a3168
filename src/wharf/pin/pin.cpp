#include "wharf/pin/pin.hpp"

#include "wharf/core/env_file.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/pin/project_layout.hpp"
#include "wharf/pin/version_file.hpp"
#include "wharf/util/atomic_file.hpp"

namespace wharf::pin {
namespace {

/// The worker image --dev points at: the one given, else WORKER_IMAGE:dev from the env file.
Result<std::string> dev_worker_image(const PinRequest& request, const EnvFile& env) {
  std::string image;
  if (request.dev_worker_image) {
    image = *request.dev_worker_image;
  } else {
    const auto repository = env.get(kWorkerImageKey);
    if (!repository || repository->empty()) {
      return fail(ErrorKind::invalid_input,
                  "--dev needs to know the worker image: set WORKER_IMAGE in docker/.env or pass "
                  "--dev-worker IMAGE");
    }
    image = *repository + ":" + std::string(kDevTag);
  }
  auto reference = ImageReference::parse(image);
  if (!reference) {
    return fail(ErrorKind::invalid_input, "the dev worker image " + reference.error().message);
  }
  return image;
}

/// Reads the env file the way the locked update will see it (file, else template, else empty),
/// so every mistake in it is reported before VERSION is touched.
Result<EnvFile> preview_env(const ProjectLayout& layout) {
  std::error_code ec;
  if (std::filesystem::exists(layout.env_file(), ec)) {
    return load_env_file(layout.env_file());
  }
  if (std::filesystem::exists(layout.env_template(), ec)) {
    return load_env_file(layout.env_template());
  }
  return EnvFile::parse("", layout.env_file().string());
}

}  // namespace

Result<PinOutcome> pin_project(const PinRequest& request) {
  const ProjectLayout layout{request.root};
  std::error_code ec;
  if (!std::filesystem::is_directory(layout.docker_dir(), ec)) {
    return fail(ErrorKind::not_found,
                layout.docker_dir().string() +
                    " does not exist — run wharf in the project root (the folder holding VERSION "
                    "and docker/) or pass --root");
  }
  // Validate every input before writing anything.
  auto current_version = read_version_file(layout.version_file());
  if (!current_version) {
    return std::unexpected(current_version.error());
  }
  auto env_preview = preview_env(layout);
  if (!env_preview) {
    return std::unexpected(env_preview.error());
  }

  PinOutcome outcome;
  outcome.version_file = layout.version_file();
  outcome.env_file = layout.env_file();
  outcome.env_file_created = !std::filesystem::exists(layout.env_file(), ec);

  std::string worker_override;
  if (request.dev) {
    auto worker = dev_worker_image(request, *env_preview);
    if (!worker) {
      return std::unexpected(worker.error());
    }
    outcome.image_tag = std::string(kDevTag);
    worker_override = *worker;
  } else {
    auto resolved = resolve_version(request.root, request.explicit_version);
    if (!resolved) {
      return std::unexpected(resolved.error());
    }
    outcome.version = *resolved;
    outcome.image_tag = resolved->version.image_tag();
  }
  outcome.worker_override = worker_override;

  // VERSION first: it is one small file we can put back exactly if the .env update fails.
  std::optional<std::string> previous_version_bytes;
  const bool version_existed = std::filesystem::exists(layout.version_file(), ec);
  if (outcome.version) {
    const auto wanted = version_file_content(outcome.version->version);
    auto existing = version_existed ? read_text_file(layout.version_file())
                                    : Result<std::string>(std::string());
    if (!existing) {
      return std::unexpected(existing.error());
    }
    if (*existing != wanted) {
      if (auto written = write_file_atomically(layout.version_file(), wanted); !written) {
        return std::unexpected(written.error());
      }
      previous_version_bytes = *existing;
      outcome.version_file_written = true;
    }
  }

  auto env_written = update_env_file(
      layout.env_file(),
      [&](EnvFile& env) -> Result<void> {
        if (auto set = env.set(kImageTagKey, outcome.image_tag); !set) {
          return set;
        }
        // Only touch TASK_EXECUTOR_IMAGE when it has to change: a release pin clears an active
        // override, a dev pin sets it. An absent or empty key stays as it is.
        const auto current = env.get(kTaskExecutorImageKey).value_or("");
        if (current != worker_override) {
          return env.set(kTaskExecutorImageKey, worker_override);
        }
        return {};
      },
      layout.env_template());
  if (!env_written) {
    if (previous_version_bytes) {
      if (version_existed) {
        (void)write_file_atomically(layout.version_file(), *previous_version_bytes);
      } else {
        std::filesystem::remove(layout.version_file(), ec);
      }
    }
    return std::unexpected(env_written.error());
  }
  outcome.env_file_written = *env_written;
  return outcome;
}

}  // namespace wharf::pin
