#pragma once

// Step 5 of an update, "restarting": moving the running containers of the stack onto the images
// of the new pin, by either strategy, journaling every service before it is touched.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/update/journal.hpp"
#include "wharf/update/recreate.hpp"
#include "wharf/update/update_options.hpp"

namespace wharf::update {

/// The compose project as docker/.env pins it now: which image each service runs, in
/// depends_on order.
struct StackAtPin {
  std::string project{};
  std::optional<std::filesystem::path> compose_file{};
  std::vector<std::string> order{};
  std::map<std::string, std::string> image_of{};  ///< service -> reference
};

/// Reads docker/.env and the compose file. Fails with their errors (a depends_on cycle too).
[[nodiscard]] Result<StackAtPin> stack_at_pin(const pin::ProjectLayout& layout);

/// What restart_stack() did.
struct Restarted {
  /// The containers to wait for: the new ones, or with compose every container of the
  /// restarted services (one that exited at once is among them, so the wait sees it).
  std::vector<std::string> wait_for{};
  /// recreate: the replaced containers, kept aside until the update is done.
  std::vector<Recreated> recreated{};
};

/// Moves every running container of `stack` whose image is not the pinned one's onto it,
/// services in `stack.order`. Stopped containers are left as they are (said). Each service is
/// added to record.services and the journal saved before it is touched, so roll_back() can put
/// back whatever a failure or a kill left.
/// - recreate (options.compose empty): recreate_container() one container at a time;
/// - compose: one `up -d` of exactly those services (compose_up()).
/// Errors name the container or compose's output; the caller rolls back.
[[nodiscard]] Result<Restarted> restart_stack(engine::EngineClient& engine,
                                              const UpdateOptions& options, const StackAtPin& stack,
                                              UpdateRecord& record, const JournalStore& store,
                                              const std::function<void(const std::string&)>& say);

/// compose: `up -d` of `services` of `stack` (stack_at_pin() of the pin docker/.env holds).
[[nodiscard]] Result<void> compose_up_services(const UpdateOptions& options,
                                               const StackAtPin& stack,
                                               const std::vector<std::string>& services);

}  // namespace wharf::update
