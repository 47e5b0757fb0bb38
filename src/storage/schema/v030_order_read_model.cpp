#include "storage/migrations.hpp"

namespace pillivery::storage {

// Issue #18: each order row carries its lines and its status history, so an
// order, or a page of them, is read with one statement. Each column holds the
// elements of a JSON array without its brackets ("{...},{...}"): a trigger on
// order_lines and one on order_status_history append a row's object as it is
// inserted, whoever inserts it (checkout, renewals, refunds, the seeder), in
// the same transaction. Lines are never changed after they are inserted and
// history rows never change, so the copy cannot drift; the tables stay the
// record. The triggers come first, then each order is filled from the rows
// there are (overwriting what a trigger appended meanwhile). Migrate while no
// server writes orders (docs/operations.md). On SQLite, a trigger's body is on
// one line: statements split at ";\n".
Migration SchemaV030OrderReadModel() {
  return {30, "order_read_model", R"SQL(
ALTER TABLE orders ADD COLUMN lines_json {{TEXT}} NULL;
ALTER TABLE orders ADD COLUMN history_json {{TEXT}} NULL;
{{MARIADB}} CREATE TRIGGER order_lines_into_order AFTER INSERT ON order_lines FOR EACH ROW
  UPDATE orders SET lines_json = CONCAT_WS(',', lines_json, JSON_OBJECT('id', NEW.id, 'item', NEW.item_id,
      'name', NEW.product_name, 'thumbnail', NEW.thumbnail_url, 'quantity', NEW.quantity, 'period', NEW.period,
      'origin', NEW.unit_origin_price, 'real', NEW.unit_real_price)) WHERE id = NEW.order_id;
{{MARIADB}} CREATE TRIGGER order_history_into_order AFTER INSERT ON order_status_history FOR EACH ROW
  UPDATE orders SET history_json = CONCAT_WS(',', history_json, JSON_OBJECT('status', NEW.status, 'at', NEW.at))
  WHERE id = NEW.order_id;
{{SQLITE}} CREATE TRIGGER order_lines_into_order AFTER INSERT ON order_lines BEGIN UPDATE orders SET lines_json = COALESCE(lines_json || ',', '') || json_object('id', NEW.id, 'item', NEW.item_id, 'name', NEW.product_name, 'thumbnail', NEW.thumbnail_url, 'quantity', NEW.quantity, 'period', NEW.period, 'origin', NEW.unit_origin_price, 'real', NEW.unit_real_price) WHERE id = NEW.order_id; END;
{{SQLITE}} CREATE TRIGGER order_history_into_order AFTER INSERT ON order_status_history BEGIN UPDATE orders SET history_json = COALESCE(history_json || ',', '') || json_object('status', NEW.status, 'at', NEW.at) WHERE id = NEW.order_id; END;
{{MARIADB}} UPDATE orders o SET
  lines_json = (SELECT GROUP_CONCAT(JSON_OBJECT('id', l.id, 'item', l.item_id, 'name', l.product_name,
      'thumbnail', l.thumbnail_url, 'quantity', l.quantity, 'period', l.period, 'origin', l.unit_origin_price,
      'real', l.unit_real_price) ORDER BY l.id SEPARATOR ',') FROM order_lines l WHERE l.order_id = o.id),
  history_json = (SELECT GROUP_CONCAT(JSON_OBJECT('status', h.status, 'at', h.at) ORDER BY h.id SEPARATOR ',')
      FROM order_status_history h WHERE h.order_id = o.id);
{{SQLITE}} UPDATE orders SET
  lines_json = (SELECT group_concat(j, ',') FROM (SELECT json_object('id', l.id, 'item', l.item_id,
      'name', l.product_name, 'thumbnail', l.thumbnail_url, 'quantity', l.quantity, 'period', l.period,
      'origin', l.unit_origin_price, 'real', l.unit_real_price) AS j FROM order_lines l
      WHERE l.order_id = orders.id ORDER BY l.id)),
  history_json = (SELECT group_concat(j, ',') FROM (SELECT json_object('status', h.status, 'at', h.at) AS j
      FROM order_status_history h WHERE h.order_id = orders.id ORDER BY h.id))
)SQL"};
}

}  // namespace pillivery::storage
