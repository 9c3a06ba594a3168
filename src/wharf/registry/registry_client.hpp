#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/registry/auth_state.hpp"
#include "wharf/registry/credential_helper.hpp"
#include "wharf/registry/digest_resolution.hpp"
#include "wharf/registry/platform.hpp"
#include "wharf/registry/registry_defaults.hpp"
#include "wharf/registry/retry_policy.hpp"

namespace wharf::registry {

struct RegistryOptions {
  /// Where config.json is read from; nullopt: $DOCKER_CONFIG, else ~/.docker.
  std::optional<std::filesystem::path> docker_config_directory{};
  /// Registries reached over plain http although not on loopback ("10.0.0.5:5000", or a
  /// bare host for all its ports), like the engine's insecure-registries.
  std::vector<std::string> insecure_registries{};
  /// The platform whose entry of a manifest list / index is reported; nullopt: this machine.
  std::optional<Platform> platform{};
  RetryPolicy retry{};
  std::chrono::milliseconds request_timeout = kDefaultRequestTimeout;
  std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
  /// Requests in flight at once (over all registries).
  std::size_t max_parallel_requests = kDefaultParallelRequests;
  /// Answers credsStore/credHelpers lookups; nullptr: run docker-credential-<name> programs.
  std::shared_ptr<CredentialHelper> credential_helper{};
};

/// A client of Docker registries (the distribution HTTP API v2) that only ever reads: which
/// digest a tag points at, and which tags a repository has. Nothing is pulled.
///
/// Authentication is docker's: anonymous first; on a 401, Basic with the registry's
/// credentials or a bearer token from the challenge's realm for `repository:<repo>:pull`;
/// credentials from config.json (credHelpers, credsStore, auths — see AuthState). Docker Hub
/// ("docker.io") is reached at registry-1.docker.io with its login stored under
/// "https://index.docker.io/v1/". TLS is verified with the system CAs; plain http is used
/// only for loopback registries and the insecure ones. 429 and 5xx are retried (RetryPolicy).
/// Credentials and tokens are never logged, at any level.
///
/// Every failure is a sentence naming the image and the registry (see registry_errors.hpp),
/// with ErrorKind not_found (404), permission (401/403, TLS), unavailable (down, 429/5xx
/// after retries — with retry_after), timeout, remote (protocol errors).
///
/// The client keeps connections, tokens and looked-up credentials between calls, so keep
/// one for a whole command. Move-only; not thread-safe (one thread drives all requests).
class RegistryClient {
 public:
  /// Reads config.json (see DockerConfig::load: a malformed file fails here, before any
  /// request). Throws std::bad_alloc when libcurl cannot allocate its handles.
  [[nodiscard]] static Result<RegistryClient> create(RegistryOptions options = {});

  RegistryClient(RegistryClient&&) noexcept;
  RegistryClient& operator=(RegistryClient&&) noexcept;
  ~RegistryClient();

  /// What `image`'s tag points at (its digest when it has no tag); see DigestResolution.
  [[nodiscard]] Result<ManifestDigest> resolve_digest(const ImageReference& image);

  /// The same for many images at once, concurrently; results in the order of `images`.
  /// One image's failure does not affect the others.
  [[nodiscard]] std::vector<Result<ManifestDigest>> resolve_digests(
      std::span<const ImageReference> images);

  /// Parses each text with ImageReference::parse first: a malformed one gets its parse error
  /// (ErrorKind::invalid_input) and causes no request at all; the rest are resolved as above.
  [[nodiscard]] std::vector<Result<ManifestDigest>> resolve_digests(
      std::span<const std::string> images);

  /// Every tag of `repository`'s repository (its tag and digest are ignored); see TagListing.
  [[nodiscard]] Result<std::vector<std::string>> list_tags(const ImageReference& repository,
                                                           std::size_t page_size = 0);

  /// The login config.json holds for `image`'s registry and where it was looked for — what
  /// an engine pull of it should send as X-Registry-Auth. Looked up once per registry (a
  /// credential helper is a process); a helper that fails gives its error.
  [[nodiscard]] Result<FoundCredentials> credentials_for(const ImageReference& image);

  /// TCP connections opened so far, over all calls (connections are reused between them).
  [[nodiscard]] std::size_t connections_opened() const noexcept;

 private:
  struct State;
  explicit RegistryClient(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace wharf::registry
