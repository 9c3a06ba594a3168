#include "wharf/update/journal.hpp"

#include <array>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "wharf/core/json_text.hpp"
#include "wharf/util/atomic_file.hpp"

namespace wharf::update {
namespace {

constexpr std::array<std::pair<UpdateStep, std::string_view>, 8> kSteps{{
    {UpdateStep::started, "started"},
    {UpdateStep::git_pulled, "git_pulled"},
    {UpdateStep::env_written, "env_written"},
    {UpdateStep::images_pulled, "images_pulled"},
    {UpdateStep::restarting, "restarting"},
    {UpdateStep::waiting_healthy, "waiting_healthy"},
    {UpdateStep::rolling_back, "rolling_back"},
    {UpdateStep::done, "done"},
}};

Result<std::string> text_field(const nlohmann::json& json, const char* key, std::string_view source,
                               bool required = true) {
  const auto found = json.find(key);
  if (found == json.end()) {
    if (!required) {
      return std::string();
    }
    return fail(ErrorKind::invalid_input, std::string(source) + ": the field \"" + key +
                                              "\" is missing — the file is not a wharf update "
                                              "record; move it away and run wharf again.");
  }
  if (!found->is_string()) {
    return fail(ErrorKind::invalid_input, std::string(source) + ": the field \"" + key +
                                              "\" is not a string — the file is damaged; move "
                                              "it away and run wharf again.");
  }
  return found->get<std::string>();
}

}  // namespace

std::string_view to_string(UpdateStep step) {
  for (const auto& [value, name] : kSteps) {
    if (value == step) {
      return name;
    }
  }
  return "started";
}

std::optional<UpdateStep> parse_update_step(std::string_view text) {
  for (const auto& [value, name] : kSteps) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

nlohmann::json UpdateRecord::to_json() const {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& change : services) {
    changes.push_back({{"service", change.service},
                       {"container_name", change.container_name},
                       {"old_id", change.old_id},
                       {"new_id", change.new_id},
                       {"previous_name", change.previous_name}});
  }
  return {{"id", id},
          {"started_at", started_at},
          {"finished_at", finished_at},
          {"from_tag", from_tag},
          {"to_tag", to_tag},
          {"from_commit", from_commit},
          {"to_commit", to_commit},
          {"strategy", strategy},
          {"step", to_string(step)},
          {"services", changes},
          {"outcome", outcome},
          {"message", message}};
}

Result<UpdateRecord> UpdateRecord::from_json(const nlohmann::json& json, std::string_view source) {
  if (!json.is_object()) {
    return fail(ErrorKind::invalid_input, std::string(source) +
                                              " does not hold a JSON object — the file is "
                                              "damaged; move it away and run wharf again.");
  }
  UpdateRecord record;
  const std::array<std::pair<const char*, std::string*>, 10> fields{{
      {"id", &record.id},
      {"started_at", &record.started_at},
      {"finished_at", &record.finished_at},
      {"from_tag", &record.from_tag},
      {"to_tag", &record.to_tag},
      {"from_commit", &record.from_commit},
      {"to_commit", &record.to_commit},
      {"strategy", &record.strategy},
      {"outcome", &record.outcome},
      {"message", &record.message},
  }};
  for (const auto& [key, target] : fields) {
    const bool required = std::string_view(key) == "id" || std::string_view(key) == "to_tag";
    auto value = text_field(json, key, source, required);
    if (!value) {
      return std::unexpected(value.error());
    }
    *target = std::move(*value);
  }
  auto step_text = text_field(json, "step", source);
  if (!step_text) {
    return std::unexpected(step_text.error());
  }
  const auto step = parse_update_step(*step_text);
  if (!step) {
    return fail(ErrorKind::invalid_input, std::string(source) + ": the step \"" + *step_text +
                                              "\" is not one wharf knows — a newer wharf may "
                                              "have written it; finish the update with that "
                                              "version.");
  }
  record.step = *step;
  if (const auto list = json.find("services"); list != json.end()) {
    if (!list->is_array()) {
      return fail(ErrorKind::invalid_input,
                  std::string(source) + ": \"services\" is not a list — the file is damaged.");
    }
    for (const auto& entry : *list) {
      ServiceChange change;
      const std::array<std::pair<const char*, std::string*>, 5> change_fields{{
          {"service", &change.service},
          {"container_name", &change.container_name},
          {"old_id", &change.old_id},
          {"new_id", &change.new_id},
          {"previous_name", &change.previous_name},
      }};
      for (const auto& [key, target] : change_fields) {
        auto value = entry.is_object() ? text_field(entry, key, source, false)
                                       : fail(ErrorKind::invalid_input,
                                              std::string(source) +
                                                  ": a \"services\" entry is not an object — the "
                                                  "file is damaged.");
        if (!value) {
          return std::unexpected(value.error());
        }
        *target = std::move(*value);
      }
      record.services.push_back(std::move(change));
    }
  }
  return record;
}

Result<std::optional<UpdateRecord>> JournalStore::load_current() const {
  const auto path = current_file();
  auto text = read_text_file(path);
  if (!text) {
    if (text.error().kind == ErrorKind::not_found) {
      return std::optional<UpdateRecord>();
    }
    return std::unexpected(text.error());
  }
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) {
    return fail(ErrorKind::invalid_input,
                path.string() +
                    " is not valid JSON — an interrupted update left it damaged; "
                    "look at the stack with `wharf status`, then move the file "
                    "away.");
  }
  auto record = UpdateRecord::from_json(json, path.string());
  if (!record) {
    return std::unexpected(record.error());
  }
  return std::optional<UpdateRecord>(std::move(*record));
}

Result<void> JournalStore::save(const UpdateRecord& record) const {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) {
    return fail(ErrorKind::io, "cannot create " + directory_.string() + ": " + error.message() +
                                   " — wharf keeps its update journal there.");
  }
  return write_file_atomically(current_file(),
                               json_text(record.to_json(), JsonLayout::indented) + "\n");
}

Result<void> JournalStore::finish(const UpdateRecord& record) const {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  {
    std::ofstream out(history_file(), std::ios::app);
    out << json_text(record.to_json()) << '\n';
    out.flush();
    if (!out) {
      return fail(ErrorKind::io, "cannot append to " + history_file().string() +
                                     " — check the disk and the directory's permissions.");
    }
  }
  std::filesystem::remove(current_file(), error);
  if (error) {
    return fail(ErrorKind::io, "cannot remove " + current_file().string() + ": " + error.message());
  }
  return {};
}

Result<std::vector<UpdateRecord>> JournalStore::history() const {
  std::vector<UpdateRecord> records;
  std::ifstream in(history_file());
  if (!in) {
    return records;
  }
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty()) {
      continue;
    }
    const auto where = history_file().string() + ":" + std::to_string(number);
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded()) {
      return fail(ErrorKind::invalid_input,
                  where + " is not valid JSON — remove or repair that line.");
    }
    auto record = UpdateRecord::from_json(json, where);
    if (!record) {
      return std::unexpected(record.error());
    }
    records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace wharf::update
