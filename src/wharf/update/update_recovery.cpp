#include "wharf/update/update_recovery.hpp"

#include <algorithm>
#include <ctime>

#include "wharf/update/stack_restore.hpp"

namespace wharf::update {

std::filesystem::path journal_directory(const pin::ProjectLayout& layout) {
  return layout.docker_dir() / ".wharf";
}

std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, format, &parts);
  return text;
}

Result<DirectoryLock> lock_updates(const pin::ProjectLayout& layout) {
  std::error_code error;
  std::filesystem::create_directories(journal_directory(layout), error);
  auto lock = DirectoryLock::acquire(journal_directory(layout), std::chrono::seconds(1));
  if (!lock && lock.error().kind == ErrorKind::timeout) {
    return fail(ErrorKind::conflict, "another wharf update or rollback is running in " +
                                         layout.root.string() +
                                         " — wait for it to finish, then try again.");
  }
  return lock;
}

Result<std::optional<UpdateRecord>> recover_locked(
    engine::EngineClient& engine, const UpdateOptions& options, const JournalStore& store,
    const std::function<void(const std::string&)>& say) {
  auto current = store.load_current();
  if (!current || !*current) {
    return current;
  }
  auto record = std::move(**current);
  if (record.step == UpdateStep::done) {
    // The run ended but died between writing the history and removing the journal.
    auto history = store.history();
    const bool recorded =
        history && std::any_of(history->begin(), history->end(),
                               [&](const UpdateRecord& past) { return past.id == record.id; });
    if (recorded) {
      std::error_code ignored;
      std::filesystem::remove(store.current_file(), ignored);
      return std::optional<UpdateRecord>(std::move(record));
    }
    if (auto finished = store.finish(record); !finished) {
      return std::unexpected(finished.error());
    }
    return std::optional<UpdateRecord>(std::move(record));
  }
  const std::string interrupted_at(to_string(record.step));
  say("an update to " + record.to_tag + " was interrupted at step " + interrupted_at +
      "; rolling it back to " + record.from_tag);
  auto rolled = roll_back(engine, options, store, record, say);
  if (!rolled) {
    // Keep the journal (at rolling_back) so the next run tries again.
    return std::unexpected(rolled.error());
  }
  record.finished_at = utc_now();
  record.outcome = "rolled_back";
  record.message = "interrupted at step " + interrupted_at + "; rolled back by the next run";
  record.step = UpdateStep::done;
  if (auto finished = store.finish(record); !finished) {
    return std::unexpected(finished.error());
  }
  return std::optional<UpdateRecord>(std::move(record));
}

}  // namespace wharf::update
