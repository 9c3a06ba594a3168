#include "wharf/workers/worker_check.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "wharf/backends/engine/engine_worker.hpp"
#include "wharf/backends/engine/warm_pool_worker.hpp"

namespace wharf::workers {
namespace {

// The digest part of a "repository@sha256:…" entry for the image's repository; "" when the
// image never came from a registry (built or imported on that engine).
std::string registry_digest(const engine::ImageInfo& image, const std::string& repository) {
  for (const auto& entry : image.repo_digests) {
    if (entry.starts_with(repository + "@")) {
      return entry.substr(entry.find('@') + 1);
    }
  }
  return {};
}

}  // namespace

WorkerReport check_worker(ConnectedWorker& worker, const ImageReference& pinned) {
  WorkerReport report;
  report.name = worker.entry.name;
  report.kind = std::string(to_string(worker.entry.kind));
  report.address = worker.address.empty() ? worker.entry.host : worker.address;
  report.slots = worker.entry.slots;
  report.image = pinned.familiar();
  if (worker.ssh) {
    switch (worker.ssh->stats().host_key) {
      case ssh::HostKeyCheck::verified:
        report.host_key = "ok";
        break;
      case ssh::HostKeyCheck::refused:
        report.host_key = "refused";
        break;
      case ssh::HostKeyCheck::not_reached:
        break;
    }
  }
  if (!worker.engine) {
    report.problems.push_back(worker.error->message);
    return report;
  }
  auto& engine = *worker.engine;
  report.reachable = true;
  report.api_version = engine.api_version().to_string();
  if (auto version = engine.version(); version) {
    report.engine_version = version->version;
  }
  const auto prefix = "worker " + report.name + ": ";

  auto image = engine.image_inspect(report.image);
  if (image) {
    report.image_present = true;
    report.image_id = image->id;
    report.image_digest = registry_digest(*image, report.image.substr(0, report.image.rfind(':')));
  } else if (image.error().kind == ErrorKind::not_found) {
    report.problems.push_back(prefix + "the pinned worker image " + report.image +
                              " is not there — run `wharf workers pull`.");
  } else {
    report.problems.push_back(prefix + image.error().message);
  }

  const auto repository = report.image.substr(0, report.image.rfind(':'));
  engine::ImageListOptions list_options;
  list_options.reference = repository;
  if (auto images = engine.image_list(list_options); images) {
    for (const auto& summary : *images) {
      for (const auto& tag : summary.repo_tags) {
        if (tag != report.image) {
          report.other_tags.push_back(tag);
        }
      }
    }
    std::sort(report.other_tags.begin(), report.other_tags.end());
  }

  engine::ContainerListOptions containers_options;
  containers_options.all = false;
  containers_options.labels = {{std::string(backends::kRunLabel), ""}};
  if (auto containers = engine.container_list(containers_options); containers) {
    for (const auto& container : *containers) {
      // An idle warm-pool container holds no task; its slot is free.
      if (!container.labels.contains(std::string(backends::kPoolLabel))) {
        ++report.busy;
      }
      // A task container on anything but the pinned image: another tag, or an older image
      // the pinned tag no longer names (the engine then shows only its ID).
      const bool other_image = report.image_present ? container.image_id != report.image_id
                                                    : container.image != report.image;
      if (other_image) {
        report.drifted_containers.push_back(
            (container.names.empty() ? container.id : container.names.front()) + " (" +
            container.image + ")");
      }
    }
  } else {
    report.problems.push_back(prefix + containers.error().message);
  }
  report.free_slots = report.slots > report.busy ? report.slots - report.busy : 0;
  if (!report.drifted_containers.empty()) {
    report.problems.push_back(prefix + std::to_string(report.drifted_containers.size()) +
                              " task container(s) run another image than the pinned " +
                              report.image + ": " + report.drifted_containers.front() +
                              (report.drifted_containers.size() > 1 ? ", …" : "") + ".");
  }
  return report;
}

std::vector<std::string> disagreements(const std::vector<WorkerReport>& reports) {
  std::map<std::string, std::vector<std::string>> holders;  // image ID -> worker names
  for (const auto& report : reports) {
    if (report.image_present) {
      holders[report.image_id].push_back(report.name);
    }
  }
  if (holders.size() < 2) {
    return {};
  }
  std::string detail;
  for (const auto& [id, names] : holders) {
    std::string joined;
    for (const auto& name : names) {
      joined += (joined.empty() ? "" : ", ") + name;
    }
    detail += (detail.empty() ? "" : "; ") + joined + " " + id.substr(0, 19);
  }
  return {"the workers hold different images under " + reports.front().image + " (" + detail +
          ") — run `wharf workers pull` so every worker runs the same one."};
}

nlohmann::json to_json(const WorkerReport& report) {
  const auto optional_string = [](const std::string& value) -> nlohmann::json {
    return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  };
  return nlohmann::json{{"name", report.name},
                        {"kind", report.kind},
                        {"address", report.address},
                        {"reachable", report.reachable},
                        {"host_key", optional_string(report.host_key)},
                        {"engine_version", optional_string(report.engine_version)},
                        {"api_version", optional_string(report.api_version)},
                        {"image", report.image},
                        {"image_present", report.image_present},
                        {"image_id", optional_string(report.image_id)},
                        {"image_digest", optional_string(report.image_digest)},
                        {"other_tags", report.other_tags},
                        {"drifted_containers", report.drifted_containers},
                        {"slots", report.slots},
                        {"busy", report.busy},
                        {"free_slots", report.free_slots},
                        {"ok", report.ok()},
                        {"problems", report.problems}};
}

}  // namespace wharf::workers
