#pragma once

// What every libcurl user here needs once: global initialisation, and an owned header list.
// curl.h stays out of this header; the list type is only declared.

#include <memory>
#include <string>
#include <vector>

struct curl_slist;

namespace wharf {

/// Calls curl_global_init once per process, before the first handle. curl_global_init is not
/// thread-safe before libcurl 7.84 (Debian 12 has 7.88, but the rule costs nothing).
void ensure_curl_initialised();

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept;
};

/// A header list owned once; freed with curl_slist_free_all.
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

/// A header list holding `lines` ("Name: value"), in order. Throws std::bad_alloc when
/// libcurl cannot allocate.
[[nodiscard]] CurlSlist make_curl_slist(const std::vector<std::string>& lines);

}  // namespace wharf
