#include "http_probe.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include <curl/curl.h>

namespace wharf::test {
namespace {

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using HeaderList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

size_t append_body(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

std::string trim(std::string text) {
  const auto not_space = [](unsigned char c) { return std::isspace(c) == 0; };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

size_t collect_header(char* data, size_t size, size_t count, void* target) {
  const std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    (*static_cast<std::map<std::string, std::string>*>(target))[name] =
        trim(line.substr(colon + 1));
  }
  return size * count;
}

}  // namespace

Result<HttpProbeAnswer> http_probe(const HttpProbeRequest& request) {
  // curl_global_init is not thread-safe, so it runs exactly once.
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  CurlHandle curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    return fail(ErrorKind::internal, "curl_easy_init failed for " + request.url + ".");
  }
  HeaderList headers(nullptr, &curl_slist_free_all);
  for (const auto& header : request.headers) {
    // curl_slist_append returns the new head, or null and leaves the old list untouched.
    curl_slist* old_head = headers.release();
    curl_slist* new_head = curl_slist_append(old_head, header.c_str());
    headers.reset(new_head != nullptr ? new_head : old_head);
    if (new_head == nullptr) {
      return fail(ErrorKind::internal, "curl_slist_append failed for " + header + ".");
    }
  }

  HttpProbeAnswer answer;
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, 10'000L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &collect_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &answer.headers);
  if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  }
  if (!request.unix_socket.empty()) {
    curl_easy_setopt(handle, CURLOPT_UNIX_SOCKET_PATH, request.unix_socket.c_str());
  }
  if (!request.user_password.empty()) {
    curl_easy_setopt(handle, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(handle, CURLOPT_USERPWD, request.user_password.c_str());
  }
  // The peers are private and on loopback; a proxy from the environment must not intercept.
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");

  const CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) {
    const std::string via =
        request.unix_socket.empty() ? std::string{} : " via " + request.unix_socket;
    return fail(ErrorKind::unavailable,
                request.method + " " + request.url + via + " got no answer: " +
                    (error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code)) + ".");
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace wharf::test
