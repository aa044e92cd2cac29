-- wrk script: one OpenAI chat completion per request, with the first demo key; STREAM=1 asks for Server-Sent Events.
-- wrk -t2 -c4 -d10s -s samples/Gateway/loadtest/chat.lua http://127.0.0.1:5080/v1/chat/completions
-- STREAM=1 wrk -t2 -c4 -d10s -s samples/Gateway/loadtest/chat.lua http://127.0.0.1:5080/v1/chat/completions
local stream = os.getenv("STREAM") == "1"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer gw-demo-alpha-4f1c9e7a2b"
wrk.body = string.format('{"model":"gpt-4o-mini","stream":%s,"messages":[{"role":"user","content":"Hello, gateway"}]}', tostring(stream))

local non_200 = 0
response = function(status, headers, body)
  if status ~= 200 then non_200 = non_200 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", non_200))
end
