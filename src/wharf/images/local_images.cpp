#include "wharf/images/local_images.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <map>

namespace wharf::images {
namespace {

// A container list shows the image ID instead of the name once the name points to another
// image; only then is the container inspected for the name it was created from.
bool looks_like_image_id(std::string_view text) {
  if (text.starts_with("sha256:")) {
    return true;
  }
  return text.size() >= 12 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool same_image(std::string_view text, const ImageReference& image) {
  auto parsed = ImageReference::parse(text);
  return parsed && parsed->to_string() == image.to_string();
}

std::string label(const engine::ContainerSummary& summary, std::string_view key) {
  const auto found = summary.labels.find(std::string(key));
  return found == summary.labels.end() ? std::string() : found->second;
}

// RepoDigests of image IDs, inspected once each.
class DigestCache {
 public:
  explicit DigestCache(engine::EngineClient& engine) : engine_(engine) {}

  Result<std::vector<std::string>> repo_digests(const std::string& image_id) {
    if (auto found = cache_.find(image_id); found != cache_.end()) {
      return found->second;
    }
    auto info = engine_.image_inspect(image_id);
    std::vector<std::string> digests;
    if (info) {
      digests = info->repo_digests;
    } else if (info.error().kind != ErrorKind::not_found) {
      return std::unexpected(info.error());
    }
    cache_.emplace(image_id, digests);
    return digests;
  }

 private:
  engine::EngineClient& engine_;
  std::map<std::string, std::vector<std::string>> cache_;
};

// The listed image `image` names: by tag, or by digest for a reference with one.
const engine::ImageSummary* find_image(const std::vector<engine::ImageSummary>& listed,
                                       const ImageReference& image) {
  const auto wanted = image.to_string();
  for (const auto& summary : listed) {
    const auto& names = image.digest() ? summary.repo_digests : summary.repo_tags;
    for (const auto& name : names) {
      auto parsed = ImageReference::parse(name);
      if (!parsed) {
        continue;
      }
      const bool same = image.digest() ? parsed->repository() == image.repository() &&
                                             parsed->digest() == image.digest()
                                       : parsed->to_string() == wanted;
      if (same) {
        return &summary;
      }
    }
  }
  return nullptr;
}

std::string rfc3339(std::int64_t unix_seconds) {
  const auto when = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&when, &parts);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text.data();
}

}  // namespace

std::optional<std::string> digest_for_repository(const std::vector<std::string>& repo_digests,
                                                 const ImageReference& image) {
  for (const auto& entry : repo_digests) {
    auto parsed = ImageReference::parse(entry);
    if (parsed && parsed->digest() && parsed->repository() == image.repository()) {
      return parsed->digest();
    }
  }
  return std::nullopt;
}

Result<std::vector<LocalImage>> inspect_local_images(engine::EngineClient& engine,
                                                     std::span<const LocalQuery> queries,
                                                     std::string_view compose_project) {
  // One image list instead of an inspect per image: 50 images cost one request, not 50.
  auto listed = engine.image_list();
  if (!listed) {
    return std::unexpected(listed.error());
  }
  std::vector<LocalImage> images;
  for (const auto& query : queries) {
    LocalImage local{.image = query.image};
    if (const auto* summary = find_image(*listed, query.image)) {
      local.present = true;
      local.id = summary->id;
      local.digest = digest_for_repository(summary->repo_digests, query.image);
      local.created = rfc3339(summary->created);
      local.size = summary->size;
    }
    images.push_back(std::move(local));
  }
  auto containers = engine.container_list();
  if (!containers) {
    return std::unexpected(containers.error());
  }
  DigestCache digests(engine);
  for (const auto& summary : *containers) {
    std::string created_from = summary.image;
    if (looks_like_image_id(created_from)) {
      auto inspected = engine.container_inspect(summary.id);
      if (!inspected) {
        if (inspected.error().kind == ErrorKind::not_found) {
          continue;  // Removed since the list was taken.
        }
        return std::unexpected(inspected.error());
      }
      created_from = inspected->image_reference;
    }
    const std::string service = label(summary, kComposeServiceLabel);
    const bool in_project =
        !compose_project.empty() && label(summary, kComposeProjectLabel) == compose_project;
    for (std::size_t index = 0; index < queries.size(); ++index) {
      const auto& query = queries[index];
      const bool runs_service =
          in_project &&
          std::find(query.services.begin(), query.services.end(), service) != query.services.end();
      if (!runs_service && !same_image(created_from, query.image)) {
        continue;
      }
      auto repo_digests = digests.repo_digests(summary.image_id);
      if (!repo_digests) {
        return std::unexpected(repo_digests.error());
      }
      images[index].containers.push_back(ContainerUse{
          .name = summary.names.empty() ? summary.id.substr(0, 12) : summary.names.front(),
          .id = summary.id,
          .state = summary.state,
          .service = service,
          .created_from = created_from,
          .image_id = summary.image_id,
          .digest = digest_for_repository(*repo_digests, query.image)});
    }
  }
  return images;
}

}  // namespace wharf::images
