#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/registry/platform.hpp"

namespace wharf::registry {

// The manifest formats wharf asks registries for. A tag points at either one image manifest
// or an index of per-platform manifests; Docker and OCI each have a name for both.
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
/// The deprecated format some old registries still answer with; never asked for.
inline constexpr std::string_view kDockerSchema1Manifest =
    "application/vnd.docker.distribution.manifest.v1+json";

/// The Accept header for manifest requests: all four formats. Without it a registry may
/// answer with a converted schema-1 manifest whose digest docker never sees.
[[nodiscard]] std::string manifest_accept_header();

/// The media type of a Content-Type value: parameters and case dropped
/// ("Application/JSON; charset=utf-8" → "application/json").
[[nodiscard]] std::string media_type_of(std::string_view content_type);

/// True for a manifest list or an OCI index.
[[nodiscard]] bool is_index_media_type(std::string_view media_type);

/// True for one of the four formats of manifest_accept_header().
[[nodiscard]] bool is_known_manifest_media_type(std::string_view media_type);

/// The media type a manifest document declares in its "mediaType" field; for an OCI
/// document without one, kOciIndex when it has "manifests", kOciManifest when it has
/// "layers" (the field is optional in OCI); kDockerSchema1Manifest for "schemaVersion": 1.
/// Empty when the body is not a JSON object of one of these kinds.
[[nodiscard]] std::string declared_media_type(std::string_view body);

/// The entries of a manifest list or OCI index. Fails with ErrorKind::remote, saying what is
/// wrong, when the body is not JSON or has no "manifests" array of descriptors with digests.
[[nodiscard]] Result<std::vector<PlatformManifest>> parse_index(std::string_view body);

}  // namespace wharf::registry
