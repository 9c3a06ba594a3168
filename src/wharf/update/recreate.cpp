#include "wharf/update/recreate.hpp"

#include <nlohmann/json.hpp>

#include "wharf/core/wording.hpp"
#include "wharf/engine/json_fields.hpp"
#include "wharf/update/recreate_spec.hpp"
#include "wharf/util/log.hpp"

namespace wharf::update {
namespace {

using engine::EngineClient;

std::unexpected<Error> with_context(Error error, const std::string& context) {
  error.message = context + error.message;
  return std::unexpected(std::move(error));
}

std::chrono::seconds stop_grace(const nlohmann::json& inspect, const RecreateOptions& options) {
  if (options.stop_timeout) {
    return *options.stop_timeout;
  }
  const auto& config = engine::json_fields::object_at(inspect, "Config");
  if (const auto* timeout = engine::json_fields::find(config, "StopTimeout");
      timeout != nullptr && timeout->is_number_integer()) {
    return std::chrono::seconds(timeout->get<std::int64_t>());
  }
  return kDefaultStopTimeout;
}

bool is_not_found(const Result<void>& result) {
  return !result && result.error().kind == ErrorKind::not_found;
}

// A reserved name may hold what an interrupted update left: a stopped container is wharf's
// leftover and goes; a running one is someone's service, so we stop and ask.
Result<void> clear_reserved_name(EngineClient& engine, const std::string& name,
                                 const RecreateOptions& options) {
  auto existing = engine.container_inspect(name, options.call_timeout);
  if (!existing) {
    return existing.error().kind == ErrorKind::not_found
               ? Result<void>{}
               : Result<void>{std::unexpected(std::move(existing.error()))};
  }
  if (existing->state.running) {
    return fail(ErrorKind::conflict,
                "a running container is named " + name +
                    ", a name wharf keeps for the containers of an update; rename or remove it "
                    "(docker rename / docker rm -f) and update again.");
  }
  log::info("removing {} ({}), left behind by an earlier update", name, existing->id);
  auto removed = engine.container_remove(existing->id, {true, false}, options.call_timeout);
  return is_not_found(removed) ? Result<void>{} : removed;
}

// Undoes a recreation that failed after the old container was stopped. Returns what could
// not be undone, as a sentence, or "" when the old container runs again under its name.
std::string put_back(EngineClient& engine, const std::string& name, const std::string& old_id,
                     const std::string& new_id, bool old_renamed, const RecreateOptions& options) {
  std::string problems;
  if (auto removed = engine.container_remove(new_id, {true, true}, options.call_timeout);
      !removed && !is_not_found(removed)) {
    problems +=
        " Removing the new container " + new_id + " failed: " + sentence(removed.error().message);
  }
  if (old_renamed) {
    if (auto renamed = engine.container_rename(old_id, name, options.call_timeout); !renamed) {
      problems +=
          " Giving the old container its name back failed: " + sentence(renamed.error().message);
    }
  }
  if (auto started = engine.container_start(old_id, options.call_timeout); !started) {
    problems += " Starting the old container again failed: " + sentence(started.error().message);
  }
  return problems;
}

}  // namespace

Result<Recreated> recreate_container(EngineClient& engine, std::string_view container,
                                     std::string_view new_image, const RecreateOptions& options) {
  const std::string context = "cannot recreate container " + std::string(container) + " on " +
                              std::string(new_image) + ": ";
  auto info = engine.container_inspect(container, options.call_timeout);
  if (!info) {
    return with_context(std::move(info.error()), context);
  }
  if (engine::json_fields::bool_at(engine::json_fields::object_at(info->raw, "HostConfig"),
                                   "AutoRemove")) {
    return fail(ErrorKind::conflict,
                context +
                    "it was created with --rm (AutoRemove), so stopping it would delete "
                    "it and leave nothing to roll back to; recreate it without --rm first.");
  }
  auto old_image = engine.image_inspect(info->image, options.call_timeout);
  if (!old_image) {
    return with_context(std::move(old_image.error()), context);
  }
  auto new_image_info = engine.image_inspect(new_image, options.call_timeout);
  if (!new_image_info) {
    auto error = std::move(new_image_info.error());
    if (error.kind == ErrorKind::not_found) {
      error.message = "the image is not on the engine (" + std::string(clause(error.message)) +
                      ") — pull it first.";
    }
    return with_context(std::move(error), context);
  }
  auto body = recreate_body(info->raw, old_image->raw, new_image_info->raw, new_image);
  if (!body) {
    return with_context(std::move(body.error()), context);
  }

  Recreated result{info->name, info->id, {}, info->name + std::string(kPreviousSuffix)};
  const auto temporary = info->name + std::string(kNewSuffix);
  for (const auto& reserved : {temporary, result.old_renamed_to}) {
    if (auto cleared = clear_reserved_name(engine, reserved, options); !cleared) {
      return with_context(std::move(cleared.error()), context);
    }
  }
  auto created = engine.container_create(temporary, *body, options.call_timeout);
  if (!created) {
    return with_context(std::move(created.error()), context);
  }
  result.new_id = created->id;
  for (const auto& warning : created->warnings) {
    log::warn("creating the new {}: {}", result.name, warning);
  }

  // Until the old container is stopped, undoing means removing the new one.
  for (const auto& attachment : extra_networks(info->raw)) {
    auto connected = engine.network_connect(attachment.network, result.new_id,
                                            attachment.endpoint_config, options.call_timeout);
    if (!connected) {
      (void)engine.container_remove(result.new_id, {true, true}, options.call_timeout);
      return with_context(std::move(connected.error()), context);
    }
  }

  // From the stop on, a failure puts the old container back.
  bool old_renamed = false;
  const auto undo = [&](Error error) -> Result<Recreated> {
    const auto problems =
        put_back(engine, result.name, result.old_id, result.new_id, old_renamed, options);
    error.message = context + sentence(error.message) +
                    (problems.empty() ? " The old container runs again." : problems);
    return std::unexpected(std::move(error));
  };
  if (auto stopped = engine.container_stop(result.old_id, stop_grace(info->raw, options));
      !stopped) {
    return undo(std::move(stopped.error()));
  }
  if (auto renamed =
          engine.container_rename(result.old_id, result.old_renamed_to, options.call_timeout);
      !renamed) {
    return undo(std::move(renamed.error()));
  }
  old_renamed = true;
  if (auto renamed = engine.container_rename(result.new_id, result.name, options.call_timeout);
      !renamed) {
    return undo(std::move(renamed.error()));
  }
  if (auto started = engine.container_start(result.new_id, options.call_timeout); !started) {
    return undo(std::move(started.error()));
  }
  return result;
}

Result<void> restore_previous(EngineClient& engine, const Recreated& recreated,
                              const RecreateOptions& options) {
  const std::string context = "cannot bring back the previous container " + recreated.old_id +
                              " as " + recreated.name + ": ";
  auto previous = engine.container_inspect(recreated.old_id, options.call_timeout);
  if (!previous) {
    return with_context(std::move(previous.error()), context);
  }
  if (recreated.new_id != recreated.old_id) {
    auto stopped =
        engine.container_stop(recreated.new_id, options.stop_timeout.value_or(kDefaultStopTimeout));
    if (!stopped && !is_not_found(stopped)) {
      return with_context(std::move(stopped.error()), context);
    }
    auto removed = engine.container_remove(recreated.new_id, {true, true}, options.call_timeout);
    if (!removed && !is_not_found(removed)) {
      return with_context(std::move(removed.error()), context);
    }
  }
  if (previous->name != recreated.name) {
    if (auto renamed =
            engine.container_rename(recreated.old_id, recreated.name, options.call_timeout);
        !renamed) {
      return with_context(std::move(renamed.error()), context);
    }
  }
  if (auto started = engine.container_start(recreated.old_id, options.call_timeout); !started) {
    return with_context(std::move(started.error()), context);
  }
  return {};
}

Result<void> discard_previous(EngineClient& engine, const Recreated& recreated,
                              const RecreateOptions& options) {
  auto removed = engine.container_remove(recreated.old_id, {true, false}, options.call_timeout);
  if (!removed && !is_not_found(removed)) {
    return with_context(std::move(removed.error()),
                        "cannot remove the previous container " + recreated.old_renamed_to + ": ");
  }
  return {};
}

}  // namespace wharf::update
