-- wrk script: POST /customer with a unique email per request (thread id + counter).
local counter = 0
local thread_id = 0
local key = os.getenv("BENCH_SECRET_KEY") or ""
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  thread_id = tid or 0
end

function request()
  counter = counter + 1
  local body = string.format('{"email":"bench-%d-%d-%d@example.com","first_name":"Bench"}', thread_id, counter, os.time())
  return wrk.format("POST", "/customer", {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json",
  }, body)
end
