#include "wharf/engine/pull_progress.hpp"

#include <nlohmann/json.hpp>

#include "wharf/core/strings.hpp"

namespace wharf::engine {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::uint64_t number_or_zero(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number()) {
    return 0;
  }
  const auto value = found->get<double>();
  return value > 0 ? static_cast<std::uint64_t>(value) : 0;
}

}  // namespace

std::string PullProgress::summary() const {
  if (layers_total == 0) {
    return status;
  }
  std::string text = std::to_string(layers_done) + "/" + std::to_string(layers_total) + " layers";
  if (bytes_total > 0) {
    text += ", " + human_bytes(bytes_current) + " of " + human_bytes(bytes_total);
  }
  return text;
}

ErrorKind classify_pull_error(std::string_view message) noexcept {
  if (contains(message, "not found") || contains(message, "manifest unknown") ||
      contains(message, "does not exist")) {
    return ErrorKind::not_found;
  }
  if (contains(message, "unauthorized") || contains(message, "denied") ||
      contains(message, "authentication required") || contains(message, "no basic auth")) {
    return ErrorKind::permission;
  }
  return ErrorKind::remote;
}

Result<bool> PullProgressParser::feed(std::string_view bytes) {
  bool changed = false;
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      partial_line_.append(bytes);
      break;
    }
    partial_line_.append(bytes.substr(0, newline));
    bytes.remove_prefix(newline + 1);
    const std::string line = std::move(partial_line_);
    partial_line_.clear();
    auto result = parse_line(line);
    if (!result) {
      return result;
    }
    changed = changed || *result;
  }
  return changed;
}

Result<bool> PullProgressParser::finish() {
  const std::string line = std::move(partial_line_);
  partial_line_.clear();
  return parse_line(line);
}

Result<bool> PullProgressParser::parse_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
    line.remove_suffix(1);
  }
  if (line.empty()) {
    return false;
  }
  const auto message = nlohmann::json::parse(line, nullptr, false);
  if (message.is_discarded() || !message.is_object()) {
    return fail(ErrorKind::remote, "the Docker engine sent a line that is not JSON while pulling " +
                                       image_ + ": " + std::string(line.substr(0, 200)));
  }
  if (message.contains("error") || message.contains("errorDetail")) {
    std::string text = message.value("error", std::string());
    if (const auto detail = message.find("errorDetail");
        text.empty() && detail != message.end() && detail->is_object()) {
      text = detail->value("message", std::string());
    }
    return fail(classify_pull_error(text), "pulling " + image_ + " failed: " + text + ".");
  }
  const std::string status = message.value("status", std::string());
  const std::string id = message.value("id", std::string());
  if (id.empty() || status.starts_with("Pulling from")) {
    if (status.starts_with("Digest: ")) {
      progress_.digest = status.substr(8);
    }
    progress_.status = status;
    return true;
  }
  auto& layer = layers_[id];
  if (status == "Downloading") {
    const auto detail = message.value("progressDetail", nlohmann::json::object());
    layer.current = number_or_zero(detail, "current");
    layer.total = std::max(layer.total, number_or_zero(detail, "total"));
  } else if (status == "Verifying Checksum" || status == "Download complete" ||
             status == "Extracting") {
    layer.downloaded = true;
  } else if (status == "Pull complete" || status == "Already exists") {
    layer.downloaded = true;
    layer.done = true;
  }
  recompute();
  return true;
}

void PullProgressParser::recompute() {
  progress_.layers_total = layers_.size();
  progress_.layers_done = 0;
  progress_.bytes_current = 0;
  progress_.bytes_total = 0;
  for (const auto& [id, layer] : layers_) {
    progress_.layers_done += layer.done ? 1 : 0;
    progress_.bytes_total += layer.total;
    progress_.bytes_current +=
        layer.downloaded ? layer.total : std::min(layer.current, layer.total);
  }
}

}  // namespace wharf::engine
