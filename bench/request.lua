-- wrk script: random generated profile and metered feature per request.
--   PROFILES, TOKEN and MODE (check | consume | entitlements) come from the environment.
local profiles = tonumber(os.getenv("PROFILES") or "10000")
local token = os.getenv("TOKEN")
local mode = os.getenv("MODE") or "check"
local features = { "weight_entries", "circumference_entries", "caliper_entries", "nutrition_entries",
                   "activity_entries", "photos", "ai_calls" }

wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

request = function()
  local p = "bench-" .. math.random(1, profiles)
  local f = features[math.random(1, #features)]
  if mode == "consume" then
    return wrk.format("POST", "/api/v1/profiles/" .. p .. "/usage/" .. f .. "/consume", nil, '{"amount": 1}')
  elseif mode == "entitlements" then
    return wrk.format("GET", "/api/v1/profiles/" .. p .. "/entitlements")
  end
  return wrk.format("GET", "/api/v1/profiles/" .. p .. "/entitlements/" .. f)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50=%.2f p99=%.2f non200=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.requests))
end
