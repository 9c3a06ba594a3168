#include "cli/images_setup.hpp"

#include "wharf/core/strings.hpp"
#include "wharf/pin/project_layout.hpp"

namespace wharf::cli {

std::vector<images::LocalQuery> ImageSelection::queries() const {
  std::vector<images::LocalQuery> queries;
  queries.reserve(images.size());
  for (const auto& image : images) {
    queries.push_back({image.image, image.services});
  }
  return queries;
}

pin::TagStyle ImageSelection::style_of(const ImageReference& image) const {
  if (tag_style) {
    return *tag_style;
  }
  return pin::style_of_tag(image.tag().value_or("")).value_or(pin::TagStyle::plain);
}

void add_registry_option(CLI::App& command, ImagesOptions& options) {
  command.add_option("--insecure-registry", options.insecure_registries,
                     "Reach this registry (host:port, or a host for all ports) over plain HTTP; "
                     "loopback registries always are");
}

void add_images_argument(CLI::App& command, ImagesOptions& options, const std::string& what) {
  command.add_option("images", options.images, what + " (default: the project's stack images)");
}

Result<ImageSelection> select_images(const GlobalOptions& globals, const ImagesOptions& options) {
  ImageSelection selection;
  if (!options.images.empty()) {
    for (const auto& text : options.images) {
      auto image = ImageReference::parse(text);
      if (!image) {
        return std::unexpected(image.error());
      }
      selection.images.push_back(stack::StackImage{.image = std::move(*image), .pinned = true});
    }
    return selection;
  }
  auto stack = stack::load_stack_images(pin::ProjectLayout{globals.project_root()});
  if (!stack) {
    return std::unexpected(stack.error());
  }
  selection.images = std::move(stack->images);
  selection.project_name = std::move(stack->project_name);
  selection.from_project = true;
  selection.tag_style = stack->tag_style.style;
  return selection;
}

Result<registry::RegistryClient> make_registry_client(const ImagesOptions& options) {
  registry::RegistryOptions registry_options;
  registry_options.insecure_registries = options.insecure_registries;
  return registry::RegistryClient::create(std::move(registry_options));
}

Result<RegistryWork> select_for_registry(const GlobalOptions& globals,
                                         const ImagesOptions& options) {
  auto selection = select_images(globals, options);
  if (!selection) {
    return std::unexpected(selection.error());
  }
  auto registry = make_registry_client(options);
  if (!registry) {
    return std::unexpected(registry.error());
  }
  return RegistryWork{.selection = std::move(*selection), .registry = std::move(*registry)};
}

std::string human_size(std::int64_t bytes) {
  return human_bytes(bytes > 0 ? static_cast<std::uint64_t>(bytes) : 0);
}

std::string short_id(const std::string& id, std::size_t length) {
  return id.empty() ? std::string("-") : id.substr(0, length);
}

}  // namespace wharf::cli
