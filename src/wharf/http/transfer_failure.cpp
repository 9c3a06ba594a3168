#include "wharf/http/transfer_failure.hpp"

#include <cerrno>
#include <cstring>

#include <curl/curl.h>

namespace wharf::http {

TransferFailure classify_transfer(const TransferFacts& facts) {
  const auto code = static_cast<CURLcode>(facts.curl_code);
  std::string detail = facts.curl_text.empty() ? std::string(curl_easy_strerror(code))
                                               : std::string(facts.curl_text);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return {FailureKind::cannot_resolve, std::move(detail), 0};
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {FailureKind::cannot_resolve_proxy, std::move(detail), 0};
    case CURLE_COULDNT_CONNECT:
      // The errno says it best ("Connection refused", "Permission denied").
      if (facts.os_errno != 0) {
        detail = std::strerror(facts.os_errno);
      }
      return {FailureKind::cannot_connect, std::move(detail), facts.os_errno};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
      return {FailureKind::tls, std::move(detail), 0};
    case CURLE_OPERATION_TIMEDOUT:
      // curl's words are the only sign that the time ran out in the TLS handshake.
      if (detail.find("SSL") != std::string::npos || detail.find("TLS") != std::string::npos) {
        return {FailureKind::tls_timeout, std::move(detail), 0};
      }
      if (!facts.connected) {
        return {FailureKind::connect_timeout, std::move(detail), ETIMEDOUT};
      }
      return {FailureKind::timeout, std::move(detail), 0};
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return {FailureKind::connection_lost, std::move(detail), 0};
    default:
      return {FailureKind::other, std::move(detail), 0};
  }
}

ErrorKind error_kind(FailureKind kind) noexcept {
  switch (kind) {
    case FailureKind::tls:
    case FailureKind::tls_timeout:
      return ErrorKind::permission;
    case FailureKind::timeout:
      return ErrorKind::timeout;
    case FailureKind::cannot_resolve:
    case FailureKind::cannot_resolve_proxy:
    case FailureKind::cannot_connect:
    case FailureKind::connect_timeout:
    case FailureKind::connection_lost:
    case FailureKind::other:
      break;
  }
  return ErrorKind::unavailable;
}

}  // namespace wharf::http
