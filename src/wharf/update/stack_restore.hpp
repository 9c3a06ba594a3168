#pragma once

#include <functional>
#include <string>

#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/update/journal.hpp"
#include "wharf/update/update_options.hpp"

namespace wharf::update {

/// Puts one service's previous container back, from whatever point its recreation reached:
/// removes every other container holding its name or a `<name>-wharf-…` name (the new one,
/// a half-made one), renames the previous container back and starts it. Safe to repeat.
/// Fails (not_found) only when the previous container itself is gone.
[[nodiscard]] Result<void> restore_service(engine::EngineClient& engine,
                                           const ServiceChange& change);

/// Rolls `record` back as far as it got: every recreated service in reverse order, IMAGE_TAG
/// in docker/.env back to from_tag, and the checkout back to from_commit (`git reset
/// --keep`). An update made with compose (record.strategy) has no previous containers to put
/// back: once .env and the checkout are back, compose starts its services again at the old pin
/// (options.compose must be set, else this fails saying so). Records step rolling_back in `store`
/// first. Keeps going after a failure and returns the first error, so as much as possible is put
/// back.
[[nodiscard]] Result<void> roll_back(engine::EngineClient& engine, const UpdateOptions& options,
                                     const JournalStore& store, UpdateRecord& record,
                                     const std::function<void(const std::string&)>& say);

}  // namespace wharf::update
