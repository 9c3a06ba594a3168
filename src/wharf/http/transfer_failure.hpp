#pragma once

#include <string>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::http {

/// Why a transfer ended without a (complete) HTTP response — the one reading of libcurl's
/// result codes, shared by the engine client and the registry client, which then phrase it
/// for their peer.
enum class FailureKind {
  cannot_resolve,        ///< The host name does not resolve.
  cannot_resolve_proxy,  ///< The proxy's host name (from the environment) does not resolve.
  cannot_connect,        ///< connect() failed: refused, unreachable, no such socket, …
  connect_timeout,       ///< The connection was not up before the time ran out.
  tls,                   ///< The TLS handshake or the certificate verification failed.
  /// The time ran out in the TLS handshake (often: a plain-http server on the other end).
  tls_timeout,
  timeout,          ///< Connected, but the whole request did not finish in time.
  connection_lost,  ///< The connection broke: send or receive failed, nothing or half came.
  other,            ///< Anything else: too many redirects, a refused write, …
};

struct TransferFailure {
  FailureKind kind = FailureKind::other;
  /// What went wrong in curl's words (its error buffer, else its description of the code),
  /// or strerror of the failed connect(); for the end of a sentence.
  std::string detail;
  /// The errno of the failed connect() for cannot_connect (0 when unknown); ETIMEDOUT for
  /// connect_timeout.
  int os_errno = 0;
};

/// What the classification needs to know about a finished transfer.
struct TransferFacts {
  int curl_code = 0;           ///< The CURLcode of the transfer.
  std::string_view curl_text;  ///< The easy handle's error buffer ("" when curl wrote none).
  int os_errno = 0;            ///< CURLINFO_OS_ERRNO.
  /// Whether the connection was up when the time ran out. The registry client asks curl
  /// (CURLINFO_CONNECT_TIME_T); the engine client counts a connection as up only once its
  /// request went out, so a TLS handshake that hangs is a connection that never came up.
  bool connected = false;
};

/// The one mapping of a failed transfer (curl_code != CURLE_OK) to a FailureKind and detail.
[[nodiscard]] TransferFailure classify_transfer(const TransferFacts& facts);

/// The ErrorKind a failure of `kind` reports: permission for tls and tls_timeout (the
/// handshake, not the peer's speed, is what is wrong), timeout for timeout,
/// unavailable for every other kind (the peer could not be reached or dropped the
/// connection). A caller that knows more may refine it: the engine client reads the errno of a
/// failed connect (permission denied on its socket is ErrorKind::permission).
[[nodiscard]] ErrorKind error_kind(FailureKind kind) noexcept;

}  // namespace wharf::http
