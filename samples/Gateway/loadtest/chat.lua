-- wrk script: one OpenAI chat completion per request, with the first demo key; STREAM=1 asks for Server-Sent Events.
-- wrk -t2 -c4 -d10s -s samples/Gateway/loadtest/chat.lua http://127.0.0.1:5080/v1/chat/completions
-- STREAM=1 wrk -t2 -c4 -d10s -s samples/Gateway/loadtest/chat.lua http://127.0.0.1:5080/v1/chat/completions
local stream = os.getenv("STREAM") == "1"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer gw-demo-alpha-4f1c9e7a2b"
wrk.body = string.format('{"model":"gpt-4o-mini","stream":%s,"messages":[{"role":"user","content":"Hello, gateway"}]}', tostring(stream))

-- wrk runs done() in a Lua state of its own, where counters kept by response() would always read 0; wrk's own
-- summary counts every response with a status of 400 or more.
done = function(summary, latency, requests)
  io.write(string.format("responses with status >= 400: %d of %d\n", summary.errors.status, summary.requests))
end
