#include "wharf/util/curl_support.hpp"

#include <mutex>
#include <new>

#include <curl/curl.h>

namespace wharf {

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

void CurlSlistDeleter::operator()(curl_slist* list) const noexcept {
  curl_slist_free_all(list);
}

CurlSlist make_curl_slist(const std::vector<std::string>& lines) {
  CurlSlist list;
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

}  // namespace wharf
