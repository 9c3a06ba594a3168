// EngineClient's image calls: inspect, pull (with its JSON-lines progress stream), list, remove.

#include <nlohmann/json.hpp>

#include "wharf/core/wording.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/engine/json_fields.hpp"

namespace wharf::engine {
namespace {

using namespace json_fields;

ImageInfo image_info_from(nlohmann::json json) {
  ImageInfo info;
  info.id = string_at(json, "Id");
  info.repo_tags = strings_at(json, "RepoTags");
  info.repo_digests = strings_at(json, "RepoDigests");
  info.created = string_at(json, "Created");
  info.size = int_at(json, "Size");
  info.raw = std::move(json);
  return info;
}

ImageSummary image_summary_from(const nlohmann::json& json) {
  ImageSummary summary;
  summary.id = string_at(json, "Id");
  summary.repo_tags = strings_at(json, "RepoTags");
  summary.repo_digests = strings_at(json, "RepoDigests");
  summary.created = int_at(json, "Created");
  summary.size = int_at(json, "Size");
  summary.labels = labels_at(json, "Labels");
  return summary;
}

}  // namespace

ImageName split_image_name(std::string_view image) {
  if (const auto at = image.find('@'); at != std::string_view::npos) {
    return ImageName{std::string(image.substr(0, at)), std::string(image.substr(at + 1))};
  }
  const auto last_slash = image.rfind('/');
  const auto colon = image.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    return ImageName{std::string(image.substr(0, colon)), std::string(image.substr(colon + 1))};
  }
  return ImageName{std::string(image), "latest"};
}

Result<ImageInfo> EngineClient::image_inspect(std::string_view image,
                                              std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(image, "image name"); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  auto json = call_json("GET", "/images/" + std::string(image) + "/json", {}, timeout,
                        "inspect image " + std::string(image));
  if (!json) {
    return std::unexpected(std::move(json.error()));
  }
  return image_info_from(std::move(*json));
}

Result<PullResult> EngineClient::image_pull(std::string_view image, const PullOptions& options) {
  if (auto valid = check_path_segment(image, "image name"); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  const auto name = split_image_name(image);
  HttpRequest request{"POST",
                      "/images/create?fromImage=" + percent_encode(name.repository) +
                          "&tag=" + percent_encode(name.tag),
                      {},
                      {},
                      options.timeout};
  if (!options.platform.empty()) {
    request.target += "&platform=" + percent_encode(options.platform);
  }
  if (options.auth) {
    request.headers.push_back("X-Registry-Auth: " + encode_registry_auth(*options.auth));
  }
  const std::string full_name =
      name.repository + (name.tag.starts_with("sha256:") ? "@" : ":") + name.tag;
  PullProgressParser parser(full_name);
  std::optional<Error> stream_error;
  const auto report = [&](const Result<bool>& changed) {
    if (!changed) {
      stream_error = changed.error();
      return false;
    }
    if (*changed && options.on_progress) {
      options.on_progress(parser.progress());
    }
    return true;
  };
  auto response = call_stream(
      std::move(request), [&](std::string_view chunk) { return report(parser.feed(chunk)); },
      options.cancel, "pull " + full_name);
  if (!response) {
    auto error = std::move(response.error());
    if (error.http_status) {
      // The engine refused before streaming (unknown repository, registry unreachable).
      const auto kind = classify_pull_error(error.message);
      error.kind = kind == ErrorKind::remote ? error.kind : kind;
    }
    if (error.kind == ErrorKind::permission) {
      error.message = sentence(error.message) + " Check the credentials for that registry.";
    }
    return std::unexpected(std::move(error));
  }
  if (!stream_error) {
    report(parser.finish());
  }
  if (stream_error) {
    if (stream_error->kind == ErrorKind::permission) {
      stream_error->message =
          sentence(stream_error->message) + " Check the credentials for that registry.";
    }
    return std::unexpected(std::move(*stream_error));
  }
  return PullResult{parser.progress().digest, parser.progress().status, parser.progress()};
}

Result<std::vector<ImageSummary>> EngineClient::image_list(const ImageListOptions& options,
                                                           std::chrono::milliseconds timeout) {
  nlohmann::json filters = nlohmann::json::object();
  if (!options.reference.empty()) {
    filters["reference"].push_back(options.reference);
  }
  auto json = call_json("GET",
                        "/images/json?all=" + std::string(options.all ? "1" : "0") +
                            "&filters=" + percent_encode(label_filters(options.labels, filters)),
                        {}, timeout, "list images");
  if (!json) {
    return std::unexpected(std::move(json.error()));
  }
  std::vector<ImageSummary> images;
  if (json->is_array()) {
    for (const auto& item : *json) {
      images.push_back(image_summary_from(item));
    }
  }
  return images;
}

Result<void> EngineClient::image_remove(std::string_view image, const ImageRemoveOptions& options,
                                        std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(image, "image name"); !valid) {
    return valid;
  }
  auto response = call("DELETE",
                       "/images/" + std::string(image) + "?force=" + (options.force ? "1" : "0") +
                           "&noprune=" + (options.no_prune ? "1" : "0"),
                       {}, timeout, "remove image " + std::string(image));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  return {};
}

}  // namespace wharf::engine
