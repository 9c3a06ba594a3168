#pragma once

// What every journaled run shares: the project's update lock, the journal's place, and
// finishing or rolling back an update that a killed run left in the journal.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/update/journal.hpp"
#include "wharf/update/update_options.hpp"
#include "wharf/util/atomic_file.hpp"

namespace wharf::update {

/// `<docker dir>/.wharf`: the journal, the history and the locks.
[[nodiscard]] std::filesystem::path journal_directory(const pin::ProjectLayout& layout);

/// The project's update lock: one update or rollback at a time. conflict when another holds it.
[[nodiscard]] Result<DirectoryLock> lock_updates(const pin::ProjectLayout& layout);

/// "2026-11-23T15:15:00Z" (or another strftime format) for now, in UTC.
[[nodiscard]] std::string utc_now(const char* format = "%Y-%m-%dT%H:%M:%SZ");

/// With the lock held: rolls back the update the journal says is unfinished and moves it to
/// the history (outcome rolled_back); nullopt when there is none. A run that died after its
/// last step is only moved to the history. When the rollback fails the journal is kept (at
/// rolling_back) so the next run tries again, and its error is returned.
[[nodiscard]] Result<std::optional<UpdateRecord>> recover_locked(
    engine::EngineClient& engine, const UpdateOptions& options, const JournalStore& store,
    const std::function<void(const std::string&)>& say);

}  // namespace wharf::update
