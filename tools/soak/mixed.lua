-- wrk script for tools/soak.sh: every request picks a path at random from a mix of what
-- customers, bots and agents ask (searches in five languages, search-as-you-type, answers on
-- every channel, articles, health), and the statuses are counted per thread.
local paths = {
  "/v1/search?q=I+forgot+my+password&lang=en",
  "/v1/search?q=wifi+slow",
  "/v1/search?q=Passwort+vergessen&lang=de",
  "/v1/search?q=Handy+gestohlen",
  "/v1/search?q=mot+de+passe+oubli%C3%A9&lang=fr",
  "/v1/search?q=%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89%E3%82%92%E5%BF%98%E3%82%8C%E3%81%9F",
  "/v1/search?q=contrase%C3%B1a&lang=es",
  "/v1/search?q=bill&lang=en&category=billing",
  "/v1/search?q=roaming+abroad&lang=en&page=2&per_page=5",
  "/v1/search?q=pasword+resett&lang=en",
  "/v1/search?q=router+lights&facets=false&prefix=false",
  "/v1/suggest?q=forgot+my+pa&lang=en",
  "/v1/suggest?q=wla",
  "/v1/suggest?q=%E3%83%91%E3%82%B9",
  "/v1/answer?q=how+do+I+reset+my+password&channel=web",
  "/v1/answer?q=my+phone+was+stolen&channel=sms",
  "/v1/answer?q=set+up+voicemail&channel=voice",
  "/v1/answer?q=cancel+my+contract&channel=slack",
  "/v1/answer?q=esim&channel=botframework",
  "/v1/answer?q=internet+down&channel=dialogflow",
  "/v1/answer?q=refund&channel=json",
  "/v1/articles/reset-password?lang=de",
  "/v1/articles/lost-or-stolen-phone?lang=ja&channel=web",
  "/health",
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local e = summary.errors
  io.write("soak: requests ", summary.requests, " in ", string.format("%.1f", summary.duration / 1e6), " s (",
           string.format("%.0f", summary.requests / (summary.duration / 1e6)), "/s)\n")
  io.write("soak: socket errors connect ", e.connect, " read ", e.read, " write ", e.write, " timeout ", e.timeout, "\n")
  local non2xx = 0
  for status, n in pairs(counts) do
    io.write("soak: status ", status, " ", n, "\n")
    if status < 200 or status > 299 then non2xx = non2xx + n end
  end
  io.write("soak: non-2xx ", non2xx, "\n")
  io.write(string.format("soak: latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f\n",
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
                         latency:percentile(99.9) / 1000, latency.max / 1000))
end
