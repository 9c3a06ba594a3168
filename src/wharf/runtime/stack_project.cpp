#include "wharf/runtime/stack_project.hpp"

#include <algorithm>

#include "wharf/stack/compose_file.hpp"
#include "wharf/stack/stack_images.hpp"

namespace wharf::runtime {

const StackService* StackProject::service(const std::string& service_name) const {
  const auto found = std::find_if(services.begin(), services.end(), [&](const StackService& entry) {
    return entry.name == service_name;
  });
  return found == services.end() ? nullptr : &*found;
}

std::string StackProject::service_names() const {
  std::string text;
  for (const auto& entry : services) {
    text += (text.empty() ? "" : ", ") + entry.name;
  }
  return text.empty() ? std::string("(none)") : text;
}

Result<StackProject> load_stack_project(const pin::ProjectLayout& layout) {
  const auto compose_path = stack::find_compose_file(layout.docker_dir());
  if (!compose_path) {
    return fail(ErrorKind::not_found,
                layout.docker_dir().string() +
                    " holds no compose file (compose.yaml, compose.yml, docker-compose.yaml or "
                    "docker-compose.yml), so this project has no stack to look at — add one, or "
                    "point -C at the project root.");
  }
  // The project name, the pin and each service's image come from the same reading as
  // `wharf images`, so both commands always agree on what the stack is.
  auto images = stack::load_stack_images(layout);
  if (!images) {
    return std::unexpected(images.error());
  }
  const auto& compose = images->compose;
  if (!compose) {
    return fail(ErrorKind::internal,
                "the compose file " + compose_path->string() + " was found but not read");
  }
  StackProject project{.name = images->project_name, .compose_file = *compose_path};
  for (const auto& service : compose->services) {
    StackService entry{.name = service.name, .has_healthcheck = service.has_healthcheck};
    for (const auto& image : images->images) {
      if (std::find(image.services.begin(), image.services.end(), service.name) !=
          image.services.end()) {
        entry.image = image.image;
      }
    }
    project.services.push_back(std::move(entry));
  }
  return project;
}

}  // namespace wharf::runtime
