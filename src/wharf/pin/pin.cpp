#include "wharf/pin/pin.hpp"

#include "wharf/core/env_file.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/pin/project_layout.hpp"
#include "wharf/pin/tag_style.hpp"
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

// The style IMAGE_TAG is written in: --tag-style (which is written to .env as
// WHARF_TAG_STYLE, the only time wharf writes that key), else the project's detected style.
Result<ProjectTagStyle> choose_tag_style(const PinRequest& request, const ProjectLayout& layout,
                                         EnvFile& env, std::vector<std::string>& notes) {
  if (request.tag_style) {
    if (auto set = env.set(kTagStyleKey, to_string(*request.tag_style)); !set) {
      return std::unexpected(set.error());
    }
    return ProjectTagStyle{*request.tag_style, "--tag-style"};
  }
  auto style = project_tag_style(layout, &env);
  if (!style) {
    return std::unexpected(style.error());
  }
  // A dev pin replaces the IMAGE_TAG the v style was read from: unless the example says so
  // too, the next release pin would fall back to plain.
  if (request.dev && style->style == TagStyle::v && style->from_image_tag &&
      env.source_name() == layout.env_file().string()) {
    bool kept = false;
    if (auto example = load_env_file(layout.env_template())) {
      auto declared = declared_tag_style(*example);
      kept = declared && *declared && (*declared)->style == TagStyle::v;
    }
    if (!kept) {
      notes.push_back(
          "IMAGE_TAG=dev replaces the tag that said this project keeps the v in its "
          "image tags (" +
          style->source +
          "): add WHARF_TAG_STYLE=v to docker/.env, or run `wharf pin --tag-style v` "
          "next time, so that a release pin writes v1.2.3 again rather than 1.2.3.");
    }
  }
  return style;
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
        auto style = choose_tag_style(request, layout, env, outcome.notes);
        if (!style) {
          return std::unexpected(style.error());
        }
        outcome.tag_style = *style;
        if (outcome.version) {
          outcome.image_tag = image_tag(outcome.version->version, style->style);
        }
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
