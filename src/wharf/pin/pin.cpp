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
  // A malformed VERSION is refused even when the version comes from elsewhere: overwriting a
  // file the user broke by hand would hide the mistake.
  if (auto current = read_version_file(layout.version_file()); !current) {
    return std::unexpected(current.error());
  }

  PinOutcome outcome;
  outcome.version_file = layout.version_file();
  outcome.env_file = layout.env_file();
  outcome.env_file_created = !std::filesystem::exists(layout.env_file(), ec);
  if (outcome.env_file_created && !std::filesystem::exists(layout.env_template(), ec)) {
    return std::unexpected(missing_env_file(layout));
  }
  if (!request.dev) {
    auto resolved = resolve_version(request.root, request.explicit_version);
    if (!resolved) {
      return std::unexpected(resolved.error());
    }
    outcome.version = *resolved;
    outcome.image_tag = resolved->version.image_tag();
  } else {
    outcome.image_tag = std::string(kDevTag);
  }

  // Everything happens under the lock of docker/: .env is read and parsed once, and VERSION is
  // written inside the same critical section, so two concurrent pins cannot leave VERSION from
  // one and IMAGE_TAG from the other. VERSION is written last inside the edit (after every
  // check that can fail) and put back if writing .env fails afterwards.
  const bool version_existed = std::filesystem::exists(layout.version_file(), ec);
  std::optional<std::string> previous_version_bytes;
  auto env_written = update_env_file(
      layout.env_file(),
      [&](EnvFile& env) -> Result<void> {
        // Under the lock, as update_env_file does for .env: VERSION is only written here.
        (void)remove_stale_temporaries(layout.version_file());
        if (request.dev) {
          auto worker = dev_worker_image(request, env);
          if (!worker) {
            return std::unexpected(worker.error());
          }
          outcome.worker_override = *worker;
        }
        if (auto set = env.set(kImageTagKey, outcome.image_tag); !set) {
          return set;
        }
        // Only touch TASK_EXECUTOR_IMAGE when it has to change: a release pin clears an active
        // override, a dev pin sets it. An absent or empty key stays as it is.
        if (env.get(kTaskExecutorImageKey).value_or("") != outcome.worker_override) {
          if (auto set = env.set(kTaskExecutorImageKey, outcome.worker_override); !set) {
            return set;
          }
        }
        if (!outcome.version) {
          return {};
        }
        const auto wanted = version_file_content(outcome.version->version);
        auto existing = version_existed ? read_text_file(layout.version_file())
                                        : Result<std::string>(std::string());
        if (!existing) {
          return std::unexpected(existing.error());
        }
        if (*existing == wanted) {
          return {};
        }
        if (auto written = write_file_atomically(layout.version_file(), wanted); !written) {
          return written;
        }
        previous_version_bytes = std::move(*existing);
        outcome.version_file_written = true;
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
      outcome.version_file_written = false;
    }
    return std::unexpected(env_written.error());
  }
  outcome.env_file_written = *env_written;
  return outcome;
}

}  // namespace wharf::pin
