-- wrk script shared by the load scenarios (benchmarks/load/run.py sets MAILLAGE_LOAD_* in the environment).
-- Requests are drawn at random (seeded per thread) from a weighted list of kinds; keys from a file.
-- At the end, one JSON line: requests, errors by class (status: answers >= 400), latency percentiles (µs).
local kinds = {}
local keys = {}
local token = os.getenv("MAILLAGE_LOAD_TOKEN") or ""
local thread_index = 0

local function split(text, sep)
  local out = {}
  for part in string.gmatch(text, "([^" .. sep .. "]+)") do out[#out + 1] = part end
  return out
end

setup = function(thread)
  thread_index = thread_index + 1
  thread:set("seed", thread_index)
end

init = function(args)
  for line in io.lines(os.getenv("MAILLAGE_LOAD_KEYS")) do keys[#keys + 1] = line end
  -- MAILLAGE_LOAD_MIX: "name:weight,name:weight"
  for _, item in ipairs(split(os.getenv("MAILLAGE_LOAD_MIX"), ",")) do
    local pair = split(item, ":")
    for _ = 1, tonumber(pair[2]) do kinds[#kinds + 1] = pair[1] end
  end
  math.randomseed(1000 + (seed or 0))
end

local words = {"insertion", "bois", "emploi", "mobilite", "cuisine", "numerique", "habitat", "formation"}

request = function()
  local kind = kinds[math.random(#kinds)]
  local key = keys[math.random(#keys)]
  if kind == "synergies" then
    return wrk.format("GET", "/api/actors/" .. key .. "/synergies")
  elseif kind == "bare" then
    return wrk.format("GET", "/top/" .. key)
  elseif kind == "search" then
    return wrk.format("GET", "/api/actors?q=" .. words[math.random(#words)] .. "&limit=20")
  elseif kind == "actor" then
    return wrk.format("GET", "/api/actors/" .. key)
  elseif kind == "page" then
    return wrk.format("GET", "/actors/" .. key, {["Accept"] = "text/html"})
  elseif kind == "sparql" then
    return wrk.format("GET", os.getenv("MAILLAGE_LOAD_SPARQL_PATH"), {["Accept"] = "application/sparql-results+json"})
  elseif kind == "write" then
    -- MAILLAGE_LOAD_WRITE_BODY may hold one %d: a random number, so that each write changes something
    local body = string.format(os.getenv("MAILLAGE_LOAD_WRITE_BODY") or "", math.random(1000000000))
    return wrk.format(os.getenv("MAILLAGE_LOAD_WRITE_METHOD") or "POST",
      string.format(os.getenv("MAILLAGE_LOAD_WRITE_PATH"), key),
      {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json", ["If-Match"] = "*"},
      body)
  end
end

done = function(summary, latency, requests)
  local p = {}
  for _, q in ipairs({50, 90, 99, 99.9}) do p[#p + 1] = string.format('"%s": %d', q, latency:percentile(q)) end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, "latency_us": {%s, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, table.concat(p, ", "), latency.max, latency.mean))
end
