#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf {

/// A Docker image reference such as `nginx`, `user/app:1.0` or
/// `localhost:5000/team/app:v1.2.3@sha256:…`, parsed and normalized the way the Docker CLI and
/// Engine do it (the grammar of distribution/reference, with docker's normalization), so that
/// wharf agrees with `docker pull` about which image a string names.
class ImageReference {
 public:
  /// Parses `[DOMAIN/]PATH[:TAG][@DIGEST]`:
  /// - DOMAIN: dot-separated components of [a-zA-Z0-9] with inner '-', or a bracketed IPv6
  ///   address such as [::1], optionally followed by :PORT (digits). The first '/'-separated
  ///   part is a domain only if it contains '.' or ':' or is exactly "localhost" (docker's
  ///   rule, so `team/app` is a Docker Hub repository, not a host named "team").
  /// - PATH: '/'-separated components, each [a-z0-9]+ runs joined by '.', '_', '__' or one or
  ///   more '-'. Upper case is rejected ("repository name must be lowercase").
  /// - TAG: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
  /// - DIGEST: ALGORITHM:HEX, where ALGORITHM is [A-Za-z][A-Za-z0-9]* runs joined by one of
  ///   "+.-_"; HEX has exactly 64 hex digits for sha256, 96 for sha384, 128 for sha512 and at
  ///   least 32 for other algorithms. Upper-case hex is accepted and kept as written.
  /// Normalization: no domain means "docker.io", "index.docker.io" becomes "docker.io", a
  /// single-component path on docker.io gets "library/" in front, and a reference with
  /// neither tag nor digest gets the tag "latest" (has_explicit_tag() tells it was implied).
  /// The normalized name (domain/path) may be at most 255 characters long; a bare 64-digit
  /// hex string is refused because docker reads it as an image ID.
  /// Fails with ErrorKind::invalid_input, naming the reference and the offending part and
  /// showing what a valid reference looks like.
  [[nodiscard]] static Result<ImageReference> parse(std::string_view text);

  /// The registry host, with port if any: "docker.io", "localhost:5000", "[::1]:5000".
  [[nodiscard]] const std::string& domain() const noexcept { return domain_; }

  /// The repository path within the registry: "library/nginx", "team/app".
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// The tag; "latest" when neither tag nor digest was written; nullopt for a reference
  /// given by digest only.
  [[nodiscard]] const std::optional<std::string>& tag() const noexcept { return tag_; }

  /// The digest as written ("sha256:…"), if any.
  [[nodiscard]] const std::optional<std::string>& digest() const noexcept { return digest_; }

  /// False when the tag is the implied "latest" (or there is no tag at all).
  [[nodiscard]] bool has_explicit_tag() const noexcept { return explicit_tag_; }

  /// The fully qualified repository: "docker.io/library/nginx".
  [[nodiscard]] std::string repository() const;

  /// The normalized full form: "docker.io/library/nginx:latest",
  /// "host:5000/a/b:1.0@sha256:…". Parsing it gives the same domain, path, tag and digest.
  [[nodiscard]] std::string to_string() const;

  /// The short form docker prints: "nginx:latest", "user/app:1", "127.0.0.1:5000/a:1".
  /// The docker.io domain is kept when the path's first component would otherwise be read as
  /// a domain ("docker.io/my.org/app:1"), so the result always parses back to this reference.
  [[nodiscard]] std::string familiar() const;

  /// The same repository at another tag, which becomes explicit. Any digest is dropped: it
  /// pins the old tag's content, and docker would pull by digest and ignore the new tag.
  /// Fails with ErrorKind::invalid_input when `tag` is not a valid image tag.
  [[nodiscard]] Result<ImageReference> with_tag(std::string_view tag) const;

  /// Compares every field, including whether the tag was explicit.
  [[nodiscard]] bool operator==(const ImageReference&) const = default;

  /// Writes to_string(), so test failures and logs show the reference.
  friend std::ostream& operator<<(std::ostream& out, const ImageReference& reference);

 private:
  std::string domain_;
  std::string path_;
  std::optional<std::string> tag_;
  std::optional<std::string> digest_;
  bool explicit_tag_ = false;
};

/// True when `tag` can be a Docker image tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
[[nodiscard]] bool is_valid_image_tag(std::string_view tag) noexcept;

}  // namespace wharf
