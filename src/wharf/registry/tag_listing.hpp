#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/registry/registry_operation.hpp"

namespace wharf::registry {

/// Lists a repository's tags with GET /v2/<repo>/tags/list, following the `Link: <…>;
/// rel="next"` header from page to page (only to the same registry). `page_size` 0 lets
/// the registry choose; otherwise it is sent as `n`. Tags come in the registry's order
/// (lexical for the distribution registry); a repository without tags gives an empty list.
class TagListing final : public RegistryOperation {
 public:
  TagListing(OperationContext& context, OperationTarget target, std::size_t page_size);

  /// The tags, once the RequestLoop is done with this operation.
  [[nodiscard]] Result<std::vector<std::string>> take_result();

 private:
  Request first_request() override;
  std::optional<Request> on_answer(Result<HttpResponse> answer) override;
  std::optional<Request> fail_with(Error error);

  std::size_t page_size_;
  std::size_t pages_ = 0;
  std::string current_path_;
  std::vector<std::string> tags_;
  std::optional<Error> error_;
};

}  // namespace wharf::registry
