#pragma once

// The owners of libcurl's handles, each owned exactly once and freed by its destructor.
// curl.h stays out of this header: libcurl itself declares its handle types as `void`
// (`typedef void CURL;`, `typedef void CURLM;`), so repeating those declarations here is
// compatible with it, and only the .cpp files that call curl include curl.h.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

using CURL = void;
using CURLM = void;
struct curl_slist;

namespace wharf::http {

struct HeaderListDeleter {
  void operator()(curl_slist* list) const noexcept;
};

/// A request header list owned once; freed with curl_slist_free_all.
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

/// A header list holding `lines` ("Name: value"), in order. Throws std::bad_alloc when
/// libcurl cannot allocate.
[[nodiscard]] HeaderList make_header_list(const std::vector<std::string>& lines);

/// One libcurl easy handle, with what must live as long as it: its error buffer and the
/// header list of its current request. Both sit on the heap, so moving an EasyHandle never
/// invalidates what curl points at. Every handle sends wharf's User-Agent, never raises
/// signals, and fills its error buffer.
class EasyHandle {
 public:
  /// Throws std::bad_alloc when libcurl cannot allocate a handle.
  EasyHandle();
  EasyHandle(EasyHandle&& other) noexcept;
  EasyHandle& operator=(EasyHandle&& other) noexcept;
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;
  ~EasyHandle();

  /// The handle, for curl_easy_setopt and friends. Null only after being moved from.
  [[nodiscard]] CURL* get() const noexcept { return handle_; }

  /// Forgets every option (curl_easy_reset), then sets the ones every handle has again.
  /// Connections, DNS and TLS session caches survive.
  void reset();

  /// Sets the method; for anything other than GET and HEAD, `body` is sent (possibly empty)
  /// as the request body. curl does not copy `body`: it must outlive the transfer.
  void set_method(const std::string& method, std::string_view body);

  /// Sends `lines` ("Name: value"; "Name:" removes a header curl would add) with the next
  /// requests; the handle keeps the list alive. Throws std::bad_alloc.
  void set_headers(const std::vector<std::string>& lines);

  /// What curl wrote into the error buffer during the last transfer, "" when nothing.
  [[nodiscard]] std::string_view error_text() const noexcept;
  /// Empties the error buffer; call before a transfer (curl leaves it alone on success).
  void clear_error_text() noexcept;

  /// The HTTP status of the last response (0 when none arrived).
  [[nodiscard]] long response_code() const noexcept;
  /// The errno of the last failed connect(), 0 when there was none.
  [[nodiscard]] int os_errno() const noexcept;
  /// True when the last transfer got its connection up (CURLINFO_CONNECT_TIME_T > 0).
  [[nodiscard]] bool connected() const noexcept;

 private:
  void set_common_options();

  CURL* handle_ = nullptr;
  std::unique_ptr<char[]> error_buffer_;
  HeaderList headers_;
};

/// One libcurl multi handle; its connection cache outlives the easy handles run in it.
class MultiHandle {
 public:
  /// Throws std::bad_alloc when libcurl cannot allocate a handle.
  MultiHandle();
  MultiHandle(MultiHandle&& other) noexcept;
  MultiHandle& operator=(MultiHandle&& other) noexcept;
  MultiHandle(const MultiHandle&) = delete;
  MultiHandle& operator=(const MultiHandle&) = delete;
  ~MultiHandle();

  /// The handle, for curl_multi_* calls. Null only after being moved from.
  [[nodiscard]] CURLM* get() const noexcept { return handle_; }

 private:
  CURLM* handle_ = nullptr;
};

}  // namespace wharf::http
