#include "wharf/stack/stack_images.hpp"

#include <algorithm>
#include <utility>

#include "wharf/core/strings.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/pin/worker_image.hpp"
#include "wharf/stack/compose_file.hpp"
#include "wharf/stack/interpolation.hpp"
#include "wharf/stack/project_variables.hpp"

namespace wharf::stack {
namespace {

constexpr std::string_view kComposeProjectNameKey = "COMPOSE_PROJECT_NAME";

// Adds `image` for `service` (empty: the worker), merging with an entry already there.
void add_image(std::vector<StackImage>& images, ImageReference image, const std::string& service,
               bool pinned) {
  auto same = std::find_if(images.begin(), images.end(),
                           [&](const StackImage& entry) { return entry.image == image; });
  if (same == images.end()) {
    images.push_back(StackImage{.image = std::move(image), .services = {}, .pinned = pinned});
    same = std::prev(images.end());
  }
  same->pinned = same->pinned || pinned;
  if (service.empty()) {
    same->worker = true;
  } else {
    same->services.push_back(service);
  }
}

bool names_image_tag(const std::string& image_template) {
  const auto variables = stack::referenced_variables(image_template);
  return std::find(variables.begin(), variables.end(), pin::kImageTagKey) != variables.end();
}

}  // namespace

std::string StackImage::role() const {
  std::string text;
  if (!services.empty()) {
    text = (services.size() == 1 ? "service " : "services ") + join(services, ", ");
  }
  if (worker) {
    text += text.empty() ? "worker image" : " and worker image";
  }
  return text;
}

Result<StackImages> load_stack_images(const pin::ProjectLayout& layout) {
  const auto env_path = layout.env_file();
  auto env = load_env_file(env_path);
  if (!env) {
    if (env.error().kind == ErrorKind::not_found) {
      return fail(ErrorKind::invalid_input,
                  env_path.string() +
                      " does not exist, so wharf does not know the stack's images — run `wharf "
                      "pin` in the project first, or name the images on the command line.");
    }
    return std::unexpected(env.error());
  }
  StackImages stack;
  stack.image_tag = env->get(pin::kImageTagKey).value_or("");
  auto style = pin::project_tag_style(layout, &*env);
  if (!style) {
    return std::unexpected(style.error());
  }
  stack.tag_style = std::move(*style);
  stack.compose_file = stack::find_compose_file(layout.docker_dir());
  if (stack.compose_file) {
    auto variables = stack::project_variables(*env);
    if (!variables) {
      return std::unexpected(variables.error());
    }
    auto compose = stack::load_compose_file(*stack.compose_file, *variables);
    if (!compose) {
      return std::unexpected(compose.error());
    }
    for (const auto& service : compose->services) {
      if (service.image.empty()) {
        continue;
      }
      auto image = ImageReference::parse(service.image);
      if (!image) {
        return fail(ErrorKind::invalid_input,
                    stack.compose_file->string() + ": service \"" + service.name +
                        "\" has the image \"" + service.image +
                        "\", which is not a valid image reference: " + image.error().message);
      }
      add_image(stack.images, std::move(*image), service.name,
                names_image_tag(service.image_template));
    }
    stack.project_name = compose->name.value_or("");
    stack.compose = std::move(*compose);
  }
  if (stack.project_name.empty()) {
    stack.project_name = env->get(kComposeProjectNameKey).value_or("");
  }
  if (stack.project_name.empty()) {
    stack.project_name = layout.docker_dir().filename().string();
  }
  const bool has_worker = env->get(pin::kWorkerImageKey).value_or("") != "" ||
                          env->get(pin::kTaskExecutorImageKey).value_or("") != "";
  if (has_worker) {
    // The same rule as `wharf dispatch`, unpinned tags allowed: status and validate must
    // describe what is there, whatever it is tagged.
    auto worker = pin::resolve_worker_image(layout, /*allow_unpinned=*/true);
    if (!worker) {
      return std::unexpected(worker.error());
    }
    const bool from_pin = env->get(pin::kTaskExecutorImageKey).value_or("").empty() &&
                          !stack.image_tag.empty() && worker->tag() == stack.image_tag;
    add_image(stack.images, std::move(*worker), "", from_pin);
  }
  if (stack.images.empty()) {
    return fail(ErrorKind::invalid_input,
                "the project names no image: " + layout.docker_dir().string() +
                    " has no compose file with images and " + env_path.string() +
                    " sets no WORKER_IMAGE — add one of them, or name the images on the command "
                    "line.");
  }
  return stack;
}

}  // namespace wharf::stack
