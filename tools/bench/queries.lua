-- wrk script: each request takes the next query of a query file (unique.tsv or zipf.tsv),
-- each thread starting at its own offset. Environment:
--   KB_BENCH_QUERY_FILE  the query file
--   KB_BENCH_TEMPLATE    the request path with {q}, {lang}, {cat} and {prefix} (true for the
--                        prefix queries, false for the others); e.g.
--                        /v1/search?q={q}&lang={lang}&category={cat}&prefix={prefix}&facets=false
--   KB_BENCH_OFFSET      where in each thread's share to start, 0..1 (default 0); the
--                        warm-up starts half-way, so the measured run repeats none of it
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  queries = {}
  local f = assert(io.open(os.getenv("KB_BENCH_QUERY_FILE"), "r"))
  local first = true
  for line in f:lines() do
    if not first then
      local kind, lang, q, cat = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?([^\t]*)$")
      if q then
        local path = os.getenv("KB_BENCH_TEMPLATE")
        path = path:gsub("{q}", function() return urlencode(q) end)
        path = path:gsub("{lang}", lang)
        path = path:gsub("{cat}", cat or "")
        -- Only the as-you-type queries have an unfinished last word.
        path = path:gsub("{prefix}", kind == "prefix" and "true" or "false")
        table.insert(queries, path)
      end
    end
    first = false
  end
  f:close()
  local share = math.floor(#queries / 16)
  index = share * id + math.floor(share * (tonumber(os.getenv("KB_BENCH_OFFSET") or "0") or 0))
  errors_non2xx = 0
end

function request()
  index = index + 1
  return wrk.format("GET", queries[(index % #queries) + 1])
end

function response(status, headers, body)
  if status >= 300 then errors_non2xx = errors_non2xx + 1 end
end
