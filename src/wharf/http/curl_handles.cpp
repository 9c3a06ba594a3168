#include "wharf/http/curl_handles.hpp"

#include <mutex>
#include <new>
#include <type_traits>
#include <utility>

#include <curl/curl.h>

// The header declares the handle types without curl.h; this holds it to curl's own.
static_assert(std::is_same_v<CURL, void> && std::is_same_v<CURLM, void>,
              "curl_handles.hpp assumes libcurl's non-strict handle typedefs");

namespace wharf::http {
namespace {

/// curl_global_init once per process, before the first handle. It is not thread-safe before
/// libcurl 7.84 (Debian 12 has 7.88, but the rule costs nothing).
void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

void HeaderListDeleter::operator()(curl_slist* list) const noexcept {
  curl_slist_free_all(list);
}

HeaderList make_header_list(const std::vector<std::string>& lines) {
  HeaderList list;
  for (const auto& line : lines) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr) {
      throw std::bad_alloc();
    }
    (void)list.release();  // curl_slist_append returned the same list, now longer.
    list.reset(grown);
  }
  return list;
}

EasyHandle::EasyHandle() : error_buffer_(std::make_unique<char[]>(CURL_ERROR_SIZE)) {
  ensure_curl_initialised();
  handle_ = curl_easy_init();
  if (handle_ == nullptr) {
    throw std::bad_alloc();
  }
  set_common_options();
}

EasyHandle::EasyHandle(EasyHandle&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      error_buffer_(std::move(other.error_buffer_)),
      headers_(std::move(other.headers_)) {}

EasyHandle& EasyHandle::operator=(EasyHandle&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) {
      curl_easy_cleanup(handle_);
    }
    handle_ = std::exchange(other.handle_, nullptr);
    error_buffer_ = std::move(other.error_buffer_);
    headers_ = std::move(other.headers_);
  }
  return *this;
}

EasyHandle::~EasyHandle() {
  if (handle_ != nullptr) {
    curl_easy_cleanup(handle_);  // Before headers_ goes: curl may still point at it.
  }
}

void EasyHandle::set_common_options() {
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_buffer_.get());
  curl_easy_setopt(handle_, CURLOPT_USERAGENT, "wharf/" WHARF_VERSION);
}

void EasyHandle::reset() {
  curl_easy_reset(handle_);
  headers_.reset();
  set_common_options();
}

void EasyHandle::set_method(const std::string& method, std::string_view body) {
  // A reused handle keeps the last request's method options; clear them first.
  curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, nullptr);
  curl_easy_setopt(handle_, CURLOPT_NOBODY, 0L);
  if (method == "GET") {
    curl_easy_setopt(handle_, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(handle_, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(handle_, CURLOPT_POST, 1L);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, body.data());
    if (method != "POST") {
      curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
  }
}

void EasyHandle::set_headers(const std::vector<std::string>& lines) {
  auto list = make_header_list(lines);
  curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, list.get());
  headers_ = std::move(list);  // The old list goes only once curl points at the new one.
}

std::string_view EasyHandle::error_text() const noexcept {
  return error_buffer_ ? std::string_view(error_buffer_.get()) : std::string_view();
}

void EasyHandle::clear_error_text() noexcept {
  if (error_buffer_) {
    error_buffer_[0] = '\0';
  }
}

long EasyHandle::response_code() const noexcept {
  long status = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

int EasyHandle::os_errno() const noexcept {
  long error_number = 0;
  curl_easy_getinfo(handle_, CURLINFO_OS_ERRNO, &error_number);
  return static_cast<int>(error_number);
}

bool EasyHandle::connected() const noexcept {
  curl_off_t connected_after = 0;
  curl_easy_getinfo(handle_, CURLINFO_CONNECT_TIME_T, &connected_after);
  return connected_after != 0;
}

MultiHandle::MultiHandle() {
  ensure_curl_initialised();
  handle_ = curl_multi_init();
  if (handle_ == nullptr) {
    throw std::bad_alloc();
  }
}

MultiHandle::MultiHandle(MultiHandle&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)) {}

MultiHandle& MultiHandle::operator=(MultiHandle&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) {
      curl_multi_cleanup(handle_);
    }
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

MultiHandle::~MultiHandle() {
  if (handle_ != nullptr) {
    curl_multi_cleanup(handle_);
  }
}

}  // namespace wharf::http
