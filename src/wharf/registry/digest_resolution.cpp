#include "wharf/registry/digest_resolution.hpp"

#include "wharf/registry/content_digest.hpp"
#include "wharf/registry/manifest.hpp"
#include "wharf/registry/registry_errors.hpp"
#include "wharf/util/log.hpp"

namespace wharf::registry {

bool ManifestDigest::is_index() const {
  return is_index_media_type(media_type);
}

bool ManifestDigest::matches(std::string_view local_digest) const {
  return local_digest == digest || (platform_digest && local_digest == *platform_digest);
}

DigestResolution::DigestResolution(OperationContext& context, OperationTarget target,
                                   std::string reference, Platform platform)
    : RegistryOperation(context, std::move(target)),
      reference_(std::move(reference)),
      platform_(std::move(platform)),
      result_(std::unexpected(Error::make(ErrorKind::internal, "the digest was never resolved"))) {}

Result<ManifestDigest> DigestResolution::take_result() {
  return std::move(result_);
}

RegistryOperation::Request DigestResolution::manifest_request(std::string method,
                                                              const std::string& reference) const {
  return Request{std::move(method),
                 "/v2/" + target().repository + "/manifests/" + reference,
                 {manifest_accept_header()}};
}

RegistryOperation::Request DigestResolution::first_request() {
  stage_ = Stage::head;
  return manifest_request("HEAD", reference_);
}

std::optional<RegistryOperation::Request> DigestResolution::done(Result<ManifestDigest> result) {
  result_ = std::move(result);
  return std::nullopt;
}

std::optional<RegistryOperation::Request> DigestResolution::on_answer(Result<HttpResponse> answer) {
  if (!answer) {
    return done(std::unexpected(std::move(answer.error())));
  }
  if (answer->status == 404) {
    return done(std::unexpected(not_in_registry(target().subject, target().host, *answer)));
  }
  return stage_ == Stage::head ? on_head(*answer) : on_manifest(*answer);
}

std::optional<RegistryOperation::Request> DigestResolution::on_head(const HttpResponse& response) {
  if (response.status == 405 || response.status == 501) {
    stage_ = Stage::get_by_reference;
    return manifest_request("GET", reference_);
  }
  if (response.status < 200 || response.status > 299) {
    return done(std::unexpected(
        unexpected_status(target().subject, target().host,
                          "HEAD " + manifest_request("HEAD", reference_).path, response)));
  }
  const auto digest = response.header("Docker-Content-Digest").value_or("");
  const auto media_type = media_type_of(response.header("Content-Type").value_or(""));
  if (!is_well_formed_digest(digest)) {
    log::debug("registry {}: no usable digest on HEAD for {}; reading the manifest",
               target().host.domain, target().subject);
    stage_ = Stage::get_by_reference;
    return manifest_request("GET", reference_);
  }
  if (is_known_manifest_media_type(media_type) && !is_index_media_type(media_type)) {
    return done(ManifestDigest{digest, media_type, std::nullopt, platform_});
  }
  // An index, or a type the HEAD did not tell: read the manifest the digest names.
  stage_ = Stage::get_by_digest;
  expected_digest_ = digest;
  return manifest_request("GET", digest);
}

std::optional<RegistryOperation::Request> DigestResolution::on_manifest(
    const HttpResponse& response) {
  if (response.status != 200) {
    return done(std::unexpected(unexpected_status(
        target().subject, target().host,
        "GET " +
            manifest_request("GET", stage_ == Stage::get_by_digest ? expected_digest_ : reference_)
                .path,
        response)));
  }
  const auto computed = sha256_digest(response.body);
  auto digest = stage_ == Stage::get_by_digest
                    ? expected_digest_
                    : response.header("Docker-Content-Digest").value_or("");
  if (!is_well_formed_digest(digest)) {
    digest = computed;
  }
  // Only sha256 can be checked here; registries use nothing else in practice.
  if (digest.starts_with("sha256:") && digest != computed) {
    return done(std::unexpected(protocol_error(
        target().subject, target().host,
        "sent a manifest whose bytes hash to " + computed + ", not to its digest " + digest)));
  }
  auto media_type = media_type_of(response.header("Content-Type").value_or(""));
  if (!is_known_manifest_media_type(media_type)) {
    media_type = declared_media_type(response.body);
  }
  if (media_type.empty()) {
    return done(std::unexpected(protocol_error(target().subject, target().host,
                                               "answered the manifest request with something "
                                               "that is not a manifest")));
  }
  if (!is_index_media_type(media_type)) {
    return done(ManifestDigest{digest, media_type, std::nullopt, platform_});
  }
  auto entries = parse_index(response.body);
  if (!entries) {
    return done(std::unexpected(
        Error::make(ErrorKind::remote, target().subject + ": " + entries.error().message)));
  }
  ManifestDigest result{digest, media_type, std::nullopt, platform_};
  if (const auto* entry = select_platform_manifest(*entries, platform_)) {
    result.platform_digest = entry->digest;
  }
  return done(std::move(result));
}

}  // namespace wharf::registry
