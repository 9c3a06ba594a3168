#include "wharf/registry/registry_client.hpp"

#include "wharf/registry/auth_state.hpp"
#include "wharf/registry/docker_config.hpp"
#include "wharf/registry/registry_host.hpp"
#include "wharf/registry/registry_operation.hpp"
#include "wharf/registry/request_loop.hpp"
#include "wharf/registry/tag_listing.hpp"

namespace wharf::registry {

struct RegistryClient::State {
  RegistryOptions options;
  Platform platform;
  AuthState auth;
  OperationContext context;
  RequestLoop loop;

  State(RegistryOptions options_in, DockerConfig config)
      : options(std::move(options_in)),
        platform(options.platform.value_or(host_platform())),
        auth(std::move(config), options.credential_helper ? options.credential_helper
                                                          : make_process_credential_helper()),
        context{auth, options.retry, options.request_timeout},
        loop(RequestLoop::Options{options.max_parallel_requests, options.connect_timeout}) {}

  OperationTarget target_for(const ImageReference& image, std::string subject) const {
    return OperationTarget{registry_host(image.domain(), options.insecure_registries), image.path(),
                           std::move(subject)};
  }
};

RegistryClient::RegistryClient(std::unique_ptr<State> state) : state_(std::move(state)) {}
RegistryClient::RegistryClient(RegistryClient&&) noexcept = default;
RegistryClient& RegistryClient::operator=(RegistryClient&&) noexcept = default;
RegistryClient::~RegistryClient() = default;

Result<RegistryClient> RegistryClient::create(RegistryOptions options) {
  auto config =
      DockerConfig::load(options.docker_config_directory.value_or(docker_config_directory()));
  if (!config) {
    return std::unexpected(std::move(config.error()));
  }
  return RegistryClient(std::make_unique<State>(std::move(options), std::move(*config)));
}

Result<ManifestDigest> RegistryClient::resolve_digest(const ImageReference& image) {
  auto results = resolve_digests(std::span<const ImageReference>(&image, 1));
  return std::move(results.front());
}

std::vector<Result<ManifestDigest>> RegistryClient::resolve_digests(
    std::span<const ImageReference> images) {
  std::vector<std::unique_ptr<DigestResolution>> operations;
  std::vector<Exchange*> exchanges;
  operations.reserve(images.size());
  for (const auto& image : images) {
    const auto reference = image.tag().value_or(image.digest().value_or("latest"));
    operations.push_back(std::make_unique<DigestResolution>(
        state_->context, state_->target_for(image, image.familiar()), reference, state_->platform));
    exchanges.push_back(operations.back().get());
  }
  state_->loop.run(exchanges);
  std::vector<Result<ManifestDigest>> results;
  results.reserve(operations.size());
  for (auto& operation : operations) {
    results.push_back(operation->take_result());
  }
  return results;
}

std::vector<Result<ManifestDigest>> RegistryClient::resolve_digests(
    std::span<const std::string> images) {
  std::vector<Result<ManifestDigest>> results(images.size(), std::unexpected(Error{}));
  std::vector<ImageReference> parsed;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < images.size(); ++i) {
    auto reference = ImageReference::parse(images[i]);
    if (!reference) {
      results[i] = std::unexpected(std::move(reference.error()));
      continue;
    }
    parsed.push_back(std::move(*reference));
    positions.push_back(i);
  }
  auto resolved = resolve_digests(std::span<const ImageReference>(parsed));
  for (std::size_t k = 0; k < positions.size(); ++k) {
    results[positions[k]] = std::move(resolved[k]);
  }
  return results;
}

Result<std::vector<std::string>> RegistryClient::list_tags(const ImageReference& repository,
                                                           std::size_t page_size) {
  const auto subject = repository.repository();
  TagListing listing(state_->context, state_->target_for(repository, subject), page_size);
  Exchange* exchange = &listing;
  state_->loop.run(std::span<Exchange* const>(&exchange, 1));
  return listing.take_result();
}

Result<FoundCredentials> RegistryClient::credentials_for(const ImageReference& image) {
  return state_->auth.credentials_for(
      registry_host(image.domain(), state_->options.insecure_registries));
}

std::size_t RegistryClient::connections_opened() const noexcept {
  return state_->loop.connections_opened();
}

}  // namespace wharf::registry
