#include "wharf/workers/inventory.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "wharf/core/wording.hpp"
#include "wharf/util/atomic_file.hpp"

namespace wharf::workers {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSlots = 1024;
constexpr std::size_t kMaxNameLength = 64;
const std::set<std::string> kKnownFields = {"name",   "host",        "slots",        "socket",
                                            "labels", "known_hosts", "identity_file"};

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

// "line 3, column 7" for a byte offset, because nlohmann reports offsets.
std::string position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

class EntryParser {
 public:
  EntryParser(const std::filesystem::path& source, std::size_t index)
      : source_(source), index_(index) {}

  Result<WorkerEntry> parse(const json& item) {
    if (!item.is_object()) {
      return invalid("is not a JSON object — write {\"name\": …, \"host\": …}.");
    }
    for (const auto& [key, value] : item.items()) {
      if (!kKnownFields.contains(key)) {
        return invalid("has an unknown field \"" + key +
                       "\" — the fields are name, host, slots, socket, labels, known_hosts "
                       "and identity_file.");
      }
    }
    WorkerEntry entry;
    auto name = required_string(item, "name");
    if (!name) {
      return std::unexpected(name.error());
    }
    if (!is_valid_name(*name)) {
      return invalid("has the name \"" + *name +
                     "\" — use 1 to 64 letters, digits, '.', '_' or '-'.");
    }
    entry.name = *name;
    name_ = *name;
    auto host = required_string(item, "host");
    if (!host) {
      return std::unexpected(host.error());
    }
    entry.host = *host;
    if (auto kind = parse_host(entry); !kind) {
      return std::unexpected(kind.error());
    }
    if (auto slots = parse_slots(item, entry); !slots) {
      return std::unexpected(slots.error());
    }
    if (auto labels = parse_labels(item, entry); !labels) {
      return std::unexpected(labels.error());
    }
    if (auto ssh_fields = parse_ssh_fields(item, entry); !ssh_fields) {
      return std::unexpected(ssh_fields.error());
    }
    return entry;
  }

 private:
  [[nodiscard]] Error invalid_error(const std::string& problem) const {
    std::string who = "worker " + std::to_string(index_ + 1);
    if (!name_.empty()) {
      who += " (\"" + name_ + "\")";
    }
    return Error{ErrorKind::invalid_input, source_.string() + ": " + who + " " + problem};
  }
  [[nodiscard]] std::unexpected<Error> invalid(const std::string& problem) const {
    return std::unexpected(invalid_error(problem));
  }

  Result<std::string> required_string(const json& item, const char* field) const {
    const auto found = item.find(field);
    if (found == item.end()) {
      return invalid(std::string("has no \"") + field + "\" — every worker needs one.");
    }
    if (!found->is_string() || found->get<std::string>().empty()) {
      return invalid(std::string("has a \"") + field + "\" that is not a non-empty string.");
    }
    return found->get<std::string>();
  }

  Result<void> parse_host(WorkerEntry& entry) const {
    const std::string_view host = entry.host;
    if (host == "local") {
      entry.kind = WorkerKind::local;
      return {};
    }
    if (host.starts_with("unix://") || host.starts_with("tcp://")) {
      auto parsed = engine::parse_docker_host(host, "the host of worker \"" + entry.name + "\"");
      if (!parsed) {
        return invalid("has a host that is not a valid engine address: " + parsed.error().message);
      }
      entry.kind = WorkerKind::engine;
      entry.engine = std::move(*parsed);
      return {};
    }
    auto parsed = ssh::parse_ssh_url(host);
    if (!parsed) {
      return invalid("has the host \"" + entry.host +
                     "\", which is none of: local, unix:///path, tcp://host:port, "
                     "ssh://[user@]host[:port], [user@]host or an ssh_config alias (" +
                     std::string(clause(parsed.error().message)) + ").");
    }
    entry.kind = WorkerKind::ssh;
    entry.ssh = std::move(*parsed);
    return {};
  }

  Result<void> parse_slots(const json& item, WorkerEntry& entry) const {
    const auto found = item.find("slots");
    if (found == item.end()) {
      return {};
    }
    if (!found->is_number_unsigned() || found->get<std::uint64_t>() == 0 ||
        found->get<std::uint64_t>() > kMaxSlots) {
      return invalid("has \"slots\": " + found->dump() + " — use a whole number from 1 to " +
                     std::to_string(kMaxSlots) + ".");
    }
    entry.slots = found->get<std::size_t>();
    return {};
  }

  Result<void> parse_labels(const json& item, WorkerEntry& entry) const {
    const auto found = item.find("labels");
    if (found == item.end()) {
      return {};
    }
    if (!found->is_object()) {
      return invalid("has \"labels\" that are not an object of strings.");
    }
    for (const auto& [key, value] : found->items()) {
      if (!value.is_string()) {
        return invalid("has the label \"" + key + "\" whose value is not a string.");
      }
      entry.labels[key] = value.get<std::string>();
    }
    return {};
  }

  Result<void> parse_ssh_fields(const json& item, WorkerEntry& entry) const {
    for (const char* field : {"socket", "known_hosts", "identity_file"}) {
      const auto found = item.find(field);
      if (found == item.end()) {
        continue;
      }
      if (entry.kind != WorkerKind::ssh) {
        return invalid(std::string("has \"") + field +
                       "\", which only applies to an SSH worker (its host is " + entry.host + ").");
      }
      if (!found->is_string() || found->get<std::string>().empty()) {
        return invalid(std::string("has a \"") + field + "\" that is not a non-empty string.");
      }
      const auto value = found->get<std::string>();
      if (std::string_view(field) == "socket") {
        if (!value.starts_with('/')) {
          return invalid("has \"socket\": \"" + value +
                         "\" — use the absolute path of the Docker socket on that host.");
        }
        entry.remote_socket = value;
        continue;
      }
      std::filesystem::path path = value;
      // "~/…" is expanded later with the user's home; anything else relative is the
      // inventory's, so a repository can ship its known_hosts next to workers.json.
      if (path.is_relative() && !value.starts_with('~')) {
        path = source_.parent_path() / path;
      }
      if (std::string_view(field) == "known_hosts") {
        entry.known_hosts = path;
      } else {
        entry.identity_file = path;
      }
    }
    return {};
  }

  const std::filesystem::path& source_;
  std::size_t index_;
  std::string name_;
};

}  // namespace

std::string_view to_string(WorkerKind kind) noexcept {
  switch (kind) {
    case WorkerKind::local:
      return "local";
    case WorkerKind::engine:
      return "engine";
    case WorkerKind::ssh:
      return "ssh";
  }
  return "unknown";
}

Result<Inventory> parse_inventory(std::string_view json_text, const std::filesystem::path& source) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::parse_error& error) {
    return fail(ErrorKind::invalid_input, source.string() + " is not valid JSON at " +
                                              position_of(json_text, error.byte - 1) +
                                              " — fix the syntax there.");
  }
  const auto* list =
      document.is_object() && document.contains("workers") ? &document.at("workers") : nullptr;
  if (list == nullptr || !list->is_array()) {
    return fail(ErrorKind::invalid_input,
                source.string() +
                    " must be an object with a \"workers\" array, like "
                    "{\"workers\": [{\"name\": \"here\", \"host\": \"local\"}]}.");
  }
  if (document.size() != 1) {
    return fail(ErrorKind::invalid_input,
                source.string() + " has fields besides \"workers\" — remove them.");
  }
  if (list->empty()) {
    return fail(ErrorKind::invalid_input, source.string() + " lists no worker — add one.");
  }
  Inventory inventory;
  inventory.source = source;
  std::set<std::string> names;
  for (std::size_t index = 0; index < list->size(); ++index) {
    EntryParser parser(source, index);
    auto entry = parser.parse(list->at(index));
    if (!entry) {
      return std::unexpected(entry.error());
    }
    if (!names.insert(entry->name).second) {
      return fail(ErrorKind::invalid_input, source.string() + ": worker " +
                                                std::to_string(index + 1) + " reuses the name \"" +
                                                entry->name +
                                                "\" — every worker needs its own name.");
    }
    inventory.workers.push_back(std::move(*entry));
  }
  return inventory;
}

Result<Inventory> load_inventory(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return fail(ErrorKind::not_found,
                "there is no workers file at " + path.string() + " — create one (see " +
                    std::string(kDefaultInventoryPath) + " in the README) or pass --workers FILE.");
  }
  auto text = read_text_file(path);
  if (!text) {
    return std::unexpected(text.error());
  }
  return parse_inventory(*text, path);
}

}  // namespace wharf::workers
