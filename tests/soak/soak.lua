-- wrk script of the soak: the request of samples/Gateway/loadtest/chat.lua, with per-thread counts of requests sent
-- and responses by status, which done() sums over every thread (wrk runs done() in a separate Lua state, so a
-- plain global counter there would always read 0) and prints as one JSON line for run-soak.py.
dofile("samples/Gateway/loadtest/chat.lua")

local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  sent = 0
  statuses = {}
end

request = function()
  sent = sent + 1
  return wrk.format()
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local total_sent = 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  io.write(string.format('SOAK-COUNTS {"sent":%d,"completed":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},"duration_us":%d,"statuses":{%s}}\n',
    total_sent, summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status, summary.duration, table.concat(parts, ",")))
end
