#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/registry/platform.hpp"
#include "wharf/registry/registry_operation.hpp"

namespace wharf::registry {

/// What a tag points at in a registry right now.
struct ManifestDigest {
  /// The digest of the manifest the tag names (Docker-Content-Digest): an image manifest, or
  /// a manifest list / OCI index for a multi-platform image. This is what `docker push`
  /// prints and what an engine records in RepoDigests after pulling by tag.
  std::string digest;
  std::string media_type;  ///< One of the four types of manifest_accept_header().
  /// For a list or index: the digest of the entry for `platform`; nullopt for a single image
  /// manifest, or when the index has no entry for this platform.
  std::optional<std::string> platform_digest;
  Platform platform;  ///< The platform the entry was chosen for.

  /// True when the tag points at a manifest list or OCI index.
  [[nodiscard]] bool is_index() const;

  /// True when `local_digest` (from RepoDigests, or a container's image digest) is what the
  /// tag points at now: equal to `digest` or, for an index, to `platform_digest`.
  [[nodiscard]] bool matches(std::string_view local_digest) const;
};

/// Resolves one image reference to its ManifestDigest:
/// 1. HEAD /v2/<repo>/manifests/<tag> accepting all four manifest types; when the answer has
///    a Docker-Content-Digest and an image manifest type, that is the result (one request).
/// 2. For a list/index, GET it by that digest (so the entry matches the digest even if the
///    tag moves meanwhile), check the bytes hash to it, and pick this platform's entry.
/// 3. When HEAD gives no digest, or the registry does not allow HEAD (405/501), GET by tag
///    and use the body's sha256 (checked against the header when there is one).
/// The reference's tag is resolved when it has one, else its digest.
class DigestResolution final : public RegistryOperation {
 public:
  DigestResolution(OperationContext& context, OperationTarget target, std::string reference,
                   Platform platform);

  /// The result, once the RequestLoop is done with this operation.
  [[nodiscard]] Result<ManifestDigest> take_result();

 private:
  enum class Stage { head, get_by_reference, get_by_digest };

  Request first_request() override;
  std::optional<Request> on_answer(Result<HttpResponse> answer) override;
  std::optional<Request> on_head(const HttpResponse& response);
  std::optional<Request> on_manifest(const HttpResponse& response);
  std::optional<Request> done(Result<ManifestDigest> result);
  Request manifest_request(std::string method, const std::string& reference) const;

  std::string reference_;
  Platform platform_;
  Stage stage_ = Stage::head;
  std::string expected_digest_;  // For get_by_digest.
  Result<ManifestDigest> result_;
};

}  // namespace wharf::registry
