#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/error.hpp"

namespace wharf::update {

/// The steps of an update, in order. The journal records the last one begun, BEFORE it is
/// begun, so a run killed anywhere leaves a journal that says what may be half done.
enum class UpdateStep {
  started,          ///< Nothing changed yet.
  git_pulled,       ///< The checkout may have been fast-forwarded to to_commit.
  env_written,      ///< docker/.env's IMAGE_TAG may already say to_tag.
  images_pulled,    ///< The new images may be (partly) on the engine; nothing running changed.
  restarting,       ///< Services may be being recreated; `services` lists those begun.
  waiting_healthy,  ///< Every service was recreated; health is being awaited.
  rolling_back,     ///< Putting from_tag's containers, .env and commit back.
  done,             ///< Finished (see outcome); the journal moves to the history.
};

[[nodiscard]] std::string_view to_string(UpdateStep step);
[[nodiscard]] std::optional<UpdateStep> parse_update_step(std::string_view text);

/// One service's container replaced by the update; enough to put the old one back.
struct ServiceChange {
  std::string service;
  std::string container_name;
  std::string old_id;
  std::string new_id;         ///< "" until the new container exists.
  std::string previous_name;  ///< Where the old container is kept until the update is done.
};

/// What one `wharf update` did or is doing.
struct UpdateRecord {
  std::string id;          ///< "20261123T151500Z-<pid>"
  std::string started_at;  ///< RFC 3339, UTC.
  std::string finished_at;
  std::string from_tag;  ///< IMAGE_TAG before.
  std::string to_tag;
  std::string from_commit;
  std::string to_commit;
  std::string strategy;  ///< "recreate" or "compose".
  UpdateStep step = UpdateStep::started;
  std::vector<ServiceChange> services{};
  /// When done: "updated", "rolled_back", "failed" (rolled back as far as possible; see
  /// message), "refused" (nothing changed).
  std::string outcome;
  std::string message;

  [[nodiscard]] nlohmann::json to_json() const;
  /// Fails with invalid_input naming `source` and the field when the JSON is not a record.
  [[nodiscard]] static Result<UpdateRecord> from_json(const nlohmann::json& json,
                                                      std::string_view source);
};

/// Where a project keeps its update journal and history: `<docker dir>/.wharf/`.
/// - `update.json`: the update in progress, rewritten atomically before every step;
/// - `history.jsonl`: one finished update per line, oldest first.
/// Callers hold the project's lock (the docker directory's DirectoryLock) around every use.
class JournalStore {
 public:
  explicit JournalStore(std::filesystem::path directory) : directory_(std::move(directory)) {}

  /// The unfinished update, if a run was interrupted; a malformed journal is an error that
  /// names the file (never silently ignored: it may describe containers to put back).
  [[nodiscard]] Result<std::optional<UpdateRecord>> load_current() const;
  /// Records `record` as the update in progress (creating the directory when needed).
  [[nodiscard]] Result<void> save(const UpdateRecord& record) const;
  /// Appends `record` to the history and removes the current journal.
  [[nodiscard]] Result<void> finish(const UpdateRecord& record) const;
  /// Every finished update, oldest first. A missing history is empty; a malformed line is
  /// an error naming the file and line.
  [[nodiscard]] Result<std::vector<UpdateRecord>> history() const;

  [[nodiscard]] std::filesystem::path current_file() const { return directory_ / "update.json"; }
  [[nodiscard]] std::filesystem::path history_file() const { return directory_ / "history.jsonl"; }

 private:
  std::filesystem::path directory_;
};

}  // namespace wharf::update
