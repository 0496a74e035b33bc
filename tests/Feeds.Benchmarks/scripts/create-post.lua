-- wrk script: every request creates a distinct post. Its URL and title hold the run (FEEDS_RUN, else the second the
-- run began), the thread number and a counter, so a run never repeats an earlier run's titles: a repeated title would
-- take the path for a slug already taken (and a repeated link the one for a link posted before) on every create.
local run = os.getenv("FEEDS_RUN") or tostring(os.time())
local threads = 0
local counter = 0

function setup(thread)
  thread:set("thread", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"url":"https://example.com/load/%s/%d/%d","title":"Load post %s/%d/%d",' ..
    '"commentary":"Commentary in *Markdown* with a [link](https://example.org/%d).","tags":["load","t%d"]}',
    run, thread, counter, run, thread, counter, counter, counter % 40)
  return wrk.format("POST", "/api/posts", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("FEEDS_TOKEN"),
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
