#pragma once

#include <chrono>
#include <cstddef>

namespace wharf::registry {

// Every registry call is bounded; these are the defaults, named so that callers and messages
// agree on them.

/// Opening one connection to a registry (TCP and TLS).
inline constexpr std::chrono::milliseconds kDefaultConnectTimeout = std::chrono::seconds(10);
/// One request/response (a manifest HEAD, a token, a page of tags).
inline constexpr std::chrono::milliseconds kDefaultRequestTimeout = std::chrono::seconds(30);
/// One `docker-credential-<name> get`; helpers may wait for a keychain to unlock.
inline constexpr std::chrono::milliseconds kCredentialHelperTimeout = std::chrono::seconds(60);
/// Requests in flight at once over all registries. A registry answers a manifest HEAD in a
/// few milliseconds, so a handful of connections keep it busy; more only add handshakes and
/// load on the registry (and on Docker Hub's rate limit).
inline constexpr std::size_t kDefaultParallelRequests = 8;

}  // namespace wharf::registry
