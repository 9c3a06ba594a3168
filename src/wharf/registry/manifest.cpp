#include "wharf/registry/manifest.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

namespace wharf::registry {
namespace {

std::string string_field(const nlohmann::json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::string manifest_accept_header() {
  return "Accept: " + std::string(kOciIndex) + ", " + std::string(kDockerManifestList) + ", " +
         std::string(kOciManifest) + ", " + std::string(kDockerManifest);
}

std::string media_type_of(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
    type.remove_suffix(1);
  }
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) {
    type.remove_prefix(1);
  }
  std::string result(type);
  std::ranges::transform(result, result.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

bool is_index_media_type(std::string_view media_type) {
  return media_type == kDockerManifestList || media_type == kOciIndex;
}

bool is_known_manifest_media_type(std::string_view media_type) {
  return is_index_media_type(media_type) || media_type == kDockerManifest ||
         media_type == kOciManifest;
}

std::string declared_media_type(std::string_view body) {
  const auto document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) {
    return {};
  }
  if (auto declared = string_field(document, "mediaType"); !declared.empty()) {
    return declared;
  }
  if (document.contains("manifests")) {
    return std::string(kOciIndex);
  }
  if (document.contains("layers")) {
    return std::string(kOciManifest);
  }
  if (document.value("schemaVersion", 0) == 1) {
    return std::string(kDockerSchema1Manifest);
  }
  return {};
}

Result<std::vector<PlatformManifest>> parse_index(std::string_view body) {
  const auto document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return fail(ErrorKind::remote, "the registry sent an image index that is not a JSON object.");
  }
  const auto manifests = document.find("manifests");
  if (manifests == document.end() || !manifests->is_array()) {
    return fail(ErrorKind::remote,
                "the registry sent an image index without a \"manifests\" array.");
  }
  std::vector<PlatformManifest> entries;
  for (const auto& descriptor : *manifests) {
    if (!descriptor.is_object() || string_field(descriptor, "digest").empty()) {
      return fail(ErrorKind::remote, "the registry sent an image index whose entry " +
                                         std::to_string(entries.size() + 1) + " has no digest.");
    }
    PlatformManifest entry;
    entry.digest = string_field(descriptor, "digest");
    entry.media_type = string_field(descriptor, "mediaType");
    if (const auto platform = descriptor.find("platform");
        platform != descriptor.end() && platform->is_object()) {
      entry.platform =
          Platform{string_field(*platform, "os"), string_field(*platform, "architecture"),
                   string_field(*platform, "variant")};
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace wharf::registry
