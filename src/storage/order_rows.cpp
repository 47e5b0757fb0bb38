#include "storage/order_rows.hpp"

namespace pillivery::storage {

void AddStatusChange(soci::session& s, long long order_id, domain::OrderStatus status, const std::string& at) {
  std::string code(domain::CodeOf(status));
  s << "INSERT INTO order_status_history(order_id, status, at) VALUES(:o, :s, :a)", soci::use(order_id),
      soci::use(code), soci::use(at);
}

}  // namespace pillivery::storage
