-- wrk script for `make soak`: a mixed load that every request of which must succeed.
-- Customers are the bundled seed's (codes passed in BENCH_CODES) and a bounded set of created ones,
-- so the store stops growing after the first minute and memory can be judged.
local key = os.getenv("BENCH_SECRET_KEY") or ""
local codes = {}
for code in string.gmatch(os.getenv("BENCH_CODES") or "", "[^,]+") do codes[#codes + 1] = code end
local counter, thread_id, threads = 0, 0, 0
local auth = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
local admin = { ["Content-Type"] = "application/json" }

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  thread_id = tid or 0
end

local risk = { "allow", "deny", "default" }

function request()
  counter = counter + 1
  local code = codes[(counter * 7 + thread_id) % #codes + 1]
  local pick = counter % 100
  if pick < 30 then
    return wrk.format("GET", "/customer/" .. code, auth)
  elseif pick < 45 then
    return wrk.format("GET", "/customer?perPage=50&page=" .. (counter % 3 + 1), auth)
  elseif pick < 65 then
    -- Creates over 4000 distinct emails: new at first, then Paystack's "existing customer" answer.
    return wrk.format("POST", "/customer", auth, string.format('{"email":"soak-%d@example.com","first_name":"Soak"}', counter % 4000))
  elseif pick < 78 then
    return wrk.format("PUT", "/customer/" .. code, auth, string.format('{"phone":"+23480%08d","metadata":{"n":%d}}', counter % 100000000, counter))
  elseif pick < 88 then
    return wrk.format("POST", "/customer/set_risk_action", auth, string.format('{"customer":"%s","risk_action":"%s"}', code, risk[counter % 3 + 1]))
  elseif pick < 91 then
    return wrk.format("POST", "/customer/" .. code .. "/identification", auth,
      '{"country":"NG","type":"bank_account","account_number":"0111111111","bvn":"222222222221","bank_code":"007","first_name":"Uchenna","last_name":"Okoro"}')
  elseif pick < 96 then
    return wrk.format("GET", "/_sandbox/requests?limit=20", admin)
  else
    return wrk.format("GET", "/_sandbox/webhooks?limit=20", admin)
  end
end
