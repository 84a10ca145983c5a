-- wrk script for bench/pages.py and bench/search_wrk.py: cycles through requests listed one a line
-- in a file, each thread taking every n-th line from its own starting place (so threads ask for
-- different pages), and prints one line the benchmark parses: requests, seconds, errors and the
-- p50, p95 and p99 latencies (µs).
--   wrk -t2 -c16 -d10s -s bench/requests.lua URL -- FILE OFFSET THREADS MODE
-- MODE: "get" (each line a path), "htmx" (each line a path, sent as htmx sends it: HX-Request) or
-- "post:<path>" (each line a JSON body POSTed to <path>, as the portal sends a search to Elasticsearch).

local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  lines = {}
  for line in io.lines(args[1]) do
    if #line > 0 then lines[#lines + 1] = line end
  end
  step = tonumber(args[3] or "2")
  position = (tonumber(args[2] or "0") + (id or 1) - 1) % #lines
  mode = args[4] or "get"
  if mode:sub(1, 5) == "post:" then
    post_path = mode:sub(6)
  end
end

function request()
  local line = lines[position + 1]
  position = (position + step) % #lines
  if post_path then
    return wrk.format("POST", post_path, {["Content-Type"] = "application/json"}, line)
  elseif mode == "htmx" then
    return wrk.format("GET", line, {["HX-Request"] = "true"})
  end
  return wrk.format("GET", line)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.timeout + errors.status
  io.write(string.format("BENCH requests=%d seconds=%.3f errors=%d p50=%d p95=%d p99=%d\n",
    summary.requests, summary.duration / 1e6, failed, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
