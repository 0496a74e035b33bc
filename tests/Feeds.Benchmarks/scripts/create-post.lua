-- wrk script: every request creates a distinct post (thread number and counter in its URL and title).
local threads = 0
local counter = 0

function setup(thread)
  thread:set("thread", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"url":"https://example.com/load/%d/%d","title":"Load post %d/%d",' ..
    '"commentary":"Commentary in *Markdown* with a [link](https://example.org/%d).","tags":["load","t%d"]}',
    thread, counter, thread, counter, counter, counter % 40)
  return wrk.format("POST", "/api/posts", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("FEEDS_TOKEN"),
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
