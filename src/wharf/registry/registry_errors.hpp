#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/registry/auth_state.hpp"
#include "wharf/registry/http_exchange.hpp"
#include "wharf/registry/registry_host.hpp"

namespace wharf::registry {

// The sentences a registry client's callers show, one per way a request can fail. Each
// starts with the image (or repository) it was about — `subject` — and names the registry,
// so that a list of results per image reads well; each ends with what to do.

/// No response: the registry (or its token service, when `service_url` is set) could not
/// be resolved, connected to, TLS-verified, or did not answer in time.
[[nodiscard]] Error transport_error(std::string_view subject, const RegistryHost& host,
                                    const http::TransferFailure& failure,
                                    std::string_view service_url = {});

/// 401/403: says whether credentials were sent and where they came from. ErrorKind::permission
/// with the HTTP status.
[[nodiscard]] Error access_refused(std::string_view subject, const RegistryHost& host, long status,
                                   const FoundCredentials& tried,
                                   std::string_view registry_detail = {});

/// 404: the manifest or repository does not exist. ErrorKind::not_found.
[[nodiscard]] Error not_in_registry(std::string_view subject, const RegistryHost& host,
                                    const HttpResponse& response);

/// 429/5xx still after every attempt, or a Retry-After longer than wharf waits.
/// ErrorKind::unavailable with the status and retry_after.
[[nodiscard]] Error still_unavailable(std::string_view subject, const RegistryHost& host,
                                      long status, int attempts,
                                      std::optional<std::chrono::seconds> retry_after);

/// Any other status the caller did not expect. ErrorKind::remote with the status.
[[nodiscard]] Error unexpected_status(std::string_view subject, const RegistryHost& host,
                                      std::string_view what, const HttpResponse& response);

/// A registry answer that breaks the protocol (a bad digest, malformed JSON): `problem` is
/// a sentence fragment saying what. ErrorKind::remote.
[[nodiscard]] Error protocol_error(std::string_view subject, const RegistryHost& host,
                                   std::string_view problem);

/// "MANIFEST_UNKNOWN: manifest unknown" from a registry's {"errors":[{code,message}]} body;
/// "" when the body has none.
[[nodiscard]] std::string registry_error_detail(std::string_view body);

}  // namespace wharf::registry
