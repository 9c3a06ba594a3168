#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>

#include "wharf/registry/http_exchange.hpp"
#include "wharf/registry/registry_defaults.hpp"

namespace wharf::registry {

/// Drives many Exchanges at once on one thread with libcurl's multi interface: their
/// requests run concurrently (up to `max_parallel` in flight), their sleeps overlap, and the
/// connections stay open in the loop's cache for the next request and the next run(), so
/// checking many images of one registry costs a few connections, not one each.
///
/// Why one thread and curl multi rather than a thread pool: the work is waiting on sockets,
/// and a retry's backoff is just a timer here, so one poll loop serves any number of images
/// with no locks around the shared token and credential caches.
///
/// TLS peers are verified against the system CAs (libcurl's default). Redirects are followed
/// (a registry may send a manifest GET to a mirror) but never from https to http, and libcurl
/// drops the Authorization header when a redirect leaves the host. Move-only, not
/// thread-safe.
class RequestLoop {
 public:
  struct Options {
    std::size_t max_parallel = kDefaultParallelRequests;
    std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
  };

  /// Throws std::bad_alloc when libcurl cannot allocate its handles.
  explicit RequestLoop(Options options);
  RequestLoop(RequestLoop&&) noexcept;
  RequestLoop& operator=(RequestLoop&&) noexcept;
  ~RequestLoop();

  /// Runs every exchange until it is Done. The exchanges must outlive the call.
  void run(std::span<Exchange* const> exchanges);

  /// How many TCP connections this loop has opened so far; tests use it to see reuse.
  [[nodiscard]] std::size_t connections_opened() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace wharf::registry
