// The one reading of libcurl's result codes: which kind of failure, which words, which
// ErrorKind. The engine and registry clients phrase the sentences; these are their inputs.

#include "wharf/http/transfer_failure.hpp"

#include <cerrno>
#include <cstring>

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace wharf::http {
namespace {

TransferFailure classify(CURLcode code, std::string_view text = {}, int os_errno = 0,
                         bool connected = true) {
  return classify_transfer({static_cast<int>(code), text, os_errno, connected});
}

TEST(TransferFailureTest, ResolveFailuresKeepCurlsWords) {
  const auto host = classify(CURLE_COULDNT_RESOLVE_HOST, "Could not resolve host: nowhere");
  EXPECT_EQ(host.kind, FailureKind::cannot_resolve);
  EXPECT_EQ(host.detail, "Could not resolve host: nowhere");
  EXPECT_EQ(classify(CURLE_COULDNT_RESOLVE_PROXY).kind, FailureKind::cannot_resolve_proxy);
}

TEST(TransferFailureTest, AFailedConnectIsDescribedByItsErrno) {
  const auto refused =
      classify(CURLE_COULDNT_CONNECT, "Failed to connect to 127.0.0.1 port 9", ECONNREFUSED, false);
  EXPECT_EQ(refused.kind, FailureKind::cannot_connect);
  EXPECT_EQ(refused.os_errno, ECONNREFUSED);
  EXPECT_EQ(refused.detail, std::strerror(ECONNREFUSED));
  // Without an errno, curl's words stay.
  const auto unknown = classify(CURLE_COULDNT_CONNECT, "Failed to connect", 0, false);
  EXPECT_EQ(unknown.detail, "Failed to connect");
  EXPECT_EQ(unknown.os_errno, 0);
}

TEST(TransferFailureTest, TlsCodesAreTls) {
  for (const auto code :
       {CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
        CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED}) {
    EXPECT_EQ(classify(code).kind, FailureKind::tls) << code;
  }
}

TEST(TransferFailureTest, TimeoutsAreToldApartByWhereTheyHappened) {
  const auto connecting =
      classify(CURLE_OPERATION_TIMEDOUT, "Connection timed out after 5001 milliseconds", 0, false);
  EXPECT_EQ(connecting.kind, FailureKind::connect_timeout);
  EXPECT_EQ(connecting.os_errno, ETIMEDOUT);
  EXPECT_EQ(classify(CURLE_OPERATION_TIMEDOUT, "SSL connection timeout", 0, true).kind,
            FailureKind::tls_timeout);
  EXPECT_EQ(classify(CURLE_OPERATION_TIMEDOUT, "SSL connection timeout", 0, false).kind,
            FailureKind::tls_timeout);
  EXPECT_EQ(classify(CURLE_OPERATION_TIMEDOUT, "Operation timed out after 30000 milliseconds").kind,
            FailureKind::timeout);
}

TEST(TransferFailureTest, BrokenConnectionsAndTheRest) {
  for (const auto code :
       {CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE}) {
    EXPECT_EQ(classify(code).kind, FailureKind::connection_lost) << code;
  }
  const auto redirects = classify(CURLE_TOO_MANY_REDIRECTS);
  EXPECT_EQ(redirects.kind, FailureKind::other);
  // No words in the error buffer: curl's description of the code.
  EXPECT_EQ(redirects.detail, curl_easy_strerror(CURLE_TOO_MANY_REDIRECTS));
}

TEST(TransferFailureTest, EveryKindHasItsErrorKind) {
  EXPECT_EQ(error_kind(FailureKind::tls), ErrorKind::permission);
  EXPECT_EQ(error_kind(FailureKind::tls_timeout), ErrorKind::permission);
  EXPECT_EQ(error_kind(FailureKind::timeout), ErrorKind::timeout);
  for (const auto kind :
       {FailureKind::cannot_resolve, FailureKind::cannot_resolve_proxy, FailureKind::cannot_connect,
        FailureKind::connect_timeout, FailureKind::connection_lost, FailureKind::other}) {
    EXPECT_EQ(error_kind(kind), ErrorKind::unavailable);
  }
}

}  // namespace
}  // namespace wharf::http
