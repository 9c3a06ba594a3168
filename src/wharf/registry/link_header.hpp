#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::registry {

/// The target of the `rel="next"` link in a `Link` header value (RFC 8288), which registries
/// send to page through `/v2/<repo>/tags/list`: `</v2/app/tags/list?last=b&n=2>; rel="next"`.
/// Several links may be listed (comma-separated; the URL itself may contain commas), `rel`
/// may be quoted or not and hold several space-separated types, compared case-insensitively.
/// nullopt when no link has the type "next" or the value is not a list of `<URL>; params`.
[[nodiscard]] std::optional<std::string> next_link(std::string_view header);

/// Where `link` points, as a path and query on the registry at `base_url`
/// ("http://127.0.0.1:5000"): a link starting with '/' is taken as is, an absolute URL must
/// have the same scheme, host and port as `base_url` — a registry must not send the client
/// (and its token) elsewhere. Fails with ErrorKind::remote naming the link otherwise.
[[nodiscard]] Result<std::string> link_target_path(std::string_view base_url,
                                                   std::string_view link);

}  // namespace wharf::registry
