#pragma once
// Text placed into HTML (element content or a double-quoted attribute).
#include <string>
#include <string_view>

namespace pillivery::infra {

// & < > " as entities; everything else as is.
std::string HtmlEscape(std::string_view text);

}  // namespace pillivery::infra
