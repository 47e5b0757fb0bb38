-- Modes (MODE env): "detail" rotates GET /api/orders/{id} over ORDER_IDS;
-- "list" pages GET /api/orders; "cart" runs read → add → read of the normal cart.
local mode = os.getenv("MODE") or "detail"
local token = "Bearer " .. (os.getenv("TOKEN") or "")
local ids = {}
for id in string.gmatch(os.getenv("ORDER_IDS") or "", "[^,]+") do ids[#ids + 1] = id end
local i, step = 0, 0
request = function()
  local headers = {["Authorization"] = token, ["Content-Type"] = "application/json"}
  if mode == "detail" then
    i = i % #ids + 1
    return wrk.format("GET", "/api/orders/" .. ids[i], headers)
  elseif mode == "list" then
    i = i % 5 + 1
    return wrk.format("GET", "/api/orders?page=" .. i .. "&size=20", headers)
  end
  step = step % 3 + 1
  if step == 2 then
    return wrk.format("POST", "/api/carts/normal/items", headers, '{"itemId":1,"quantity":1}')
  end
  return wrk.format("GET", "/api/carts/normal", headers)
end
