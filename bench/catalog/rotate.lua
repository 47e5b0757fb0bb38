-- Rotates through the request paths given in the PATHS environment variable
-- (separated by '|'), so uncached endpoints are not served the same query each time.
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "/", "[^|]+") do paths[#paths + 1] = p end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
