-- wrk script for bench/pages.py: cycles through the request paths listed one a line in a file,
-- each thread taking every n-th path from its own starting place (so threads ask for different
-- pages), and prints one line the benchmark parses: requests, seconds, errors, p50 and p99 (µs).
--   wrk -t2 -c16 -d10s -s bench/paths.lua URL -- PATHS_FILE OFFSET THREADS

local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  step = tonumber(args[3] or "2")
  position = (tonumber(args[2] or "0") + (id or 1) - 1) % #paths
end

function request()
  local path = paths[position + 1]
  position = (position + step) % #paths
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.timeout + errors.status
  io.write(string.format("BENCH requests=%d seconds=%.3f errors=%d p50=%d p99=%d bytes=%d\n",
    summary.requests, summary.duration / 1e6, failed, latency:percentile(50), latency:percentile(99),
    summary.bytes))
end
