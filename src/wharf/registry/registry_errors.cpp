#include "wharf/registry/registry_errors.hpp"

#include <nlohmann/json.hpp>

namespace wharf::registry {
namespace {

std::string describe_tried(const FoundCredentials& tried) {
  if (tried.credentials) {
    return "with " + tried.source.describe();
  }
  if (tried.source.kind == CredentialSource::Kind::none) {
    return "with " + tried.source.describe();
  }
  return "with no credentials (" + tried.source.describe() + " has none for it)";
}

std::string with_detail(std::string_view detail) {
  return detail.empty() ? std::string() : " (" + std::string(detail) + ")";
}

std::string subject_prefix(std::string_view subject) {
  return std::string(subject) + ": ";
}

}  // namespace

std::string registry_error_detail(std::string_view body) {
  const auto document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) {
    return {};
  }
  const auto errors = document.find("errors");
  if (errors == document.end() || !errors->is_array() || errors->empty() ||
      !errors->front().is_object()) {
    return {};
  }
  const auto& first = errors->front();
  std::string detail = first.value("code", std::string());
  const auto message = first.value("message", std::string());
  if (!message.empty()) {
    detail += (detail.empty() ? "" : ": ") + message;
  }
  return detail;
}

Error transport_error(std::string_view subject, const RegistryHost& host,
                      const http::TransferFailure& failure, std::string_view service_url) {
  const std::string peer =
      service_url.empty()
          ? "the registry " + host.domain + " at " + host.api_base_url
          : "the token service " + std::string(service_url) + " of the registry " + host.domain;
  const auto prefix = subject_prefix(subject);
  const ErrorKind kind = http::error_kind(failure.kind);
  switch (failure.kind) {
    case http::FailureKind::cannot_resolve:
    case http::FailureKind::cannot_resolve_proxy:
      return Error::make(kind, prefix + "the host of " + peer + " does not resolve (" +
                                   failure.detail + ") — check the image name and the network.");
    case http::FailureKind::cannot_connect:
    case http::FailureKind::connect_timeout:
      return Error::make(kind, prefix + "cannot connect to " + peer + " (" + failure.detail +
                                   ") — is it running and reachable?");
    case http::FailureKind::tls:
    case http::FailureKind::tls_timeout:
      return Error::make(
          kind, prefix + "the TLS connection to " + peer + " failed (" + failure.detail +
                    ") — if the registry uses a private CA, add it to the system CAs; plain HTTP "
                    "is used only for loopback registries and ones marked insecure.");
    case http::FailureKind::timeout:
      return Error::make(kind, prefix + peer + " did not answer in time (" + failure.detail +
                                   ") — try again later.");
    case http::FailureKind::connection_lost:
    case http::FailureKind::other:
      break;
  }
  return Error::make(kind, prefix + "the connection to " + peer + " failed (" + failure.detail +
                               ") — try again later.");
}

Error access_refused(std::string_view subject, const RegistryHost& host, long status,
                     const FoundCredentials& tried, std::string_view registry_detail) {
  const std::string login = host.domain == kDockerHubDomain ? std::string("`docker login`")
                                                            : "`docker login " + host.domain + "`";
  const std::string what_to_do =
      tried.credentials
          ? " — check that login: run " + login + " again, or ask for pull access."
          : " — run " + login + " (or set DOCKER_CONFIG to the directory of your config.json).";
  Error error =
      Error::make(ErrorKind::permission, subject_prefix(subject) + "the registry " + host.domain +
                                             " refused access (HTTP " + std::to_string(status) +
                                             ")" + with_detail(registry_detail) + " " +
                                             describe_tried(tried) + what_to_do);
  error.http_status = static_cast<int>(status);
  return error;
}

Error not_in_registry(std::string_view subject, const RegistryHost& host,
                      const HttpResponse& response) {
  Error error = Error::make(ErrorKind::not_found,
                            std::string(subject) + " is not in the registry " + host.domain +
                                with_detail(registry_error_detail(response.body)) +
                                " — check the repository name and tag.");
  error.http_status = 404;
  return error;
}

Error still_unavailable(std::string_view subject, const RegistryHost& host, long status,
                        int attempts, std::optional<std::chrono::seconds> retry_after) {
  std::string message =
      subject_prefix(subject) + "the registry " + host.domain + " answered " +
      (status == 429 ? "HTTP 429 (too many requests)" : "HTTP " + std::to_string(status));
  if (attempts > 1) {
    message += " to all " + std::to_string(attempts) + " attempts";
  }
  if (retry_after) {
    message += " and asks to retry after " + std::to_string(retry_after->count()) + " s";
  }
  message += " — try again later.";
  Error error = Error::make(ErrorKind::unavailable, std::move(message));
  error.http_status = static_cast<int>(status);
  error.retry_after = retry_after;
  return error;
}

Error unexpected_status(std::string_view subject, const RegistryHost& host, std::string_view what,
                        const HttpResponse& response) {
  Error error =
      Error::make(ErrorKind::remote, subject_prefix(subject) + "the registry " + host.domain +
                                         " answered HTTP " + std::to_string(response.status) +
                                         " to " + std::string(what) +
                                         with_detail(registry_error_detail(response.body)) + ".");
  error.http_status = static_cast<int>(response.status);
  return error;
}

Error protocol_error(std::string_view subject, const RegistryHost& host, std::string_view problem) {
  return Error::make(ErrorKind::remote, subject_prefix(subject) + "the registry " + host.domain +
                                            " " + std::string(problem) +
                                            " — wharf cannot trust this answer.");
}

}  // namespace wharf::registry
