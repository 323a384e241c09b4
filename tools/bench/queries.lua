-- wrk script: each request takes the next query of a query file (unique.tsv or zipf.tsv),
-- each thread starting at its own offset. Environment:
--   KB_BENCH_QUERY_FILE  the query file
--   KB_BENCH_TEMPLATE    the request path with {q}, {lang}, {cat} and {prefix} (true for the
--                        prefix queries, false for the others); e.g.
--                        /v1/search?q={q}&lang={lang}&category={cat}&prefix={prefix}&facets=false
--                        For Groonga's select: {qprefix} is the query with "*" after its
--                        last word for the prefix queries (a prefix search), and {catfilter}
--                        is ' && category == "<cat>"' when the line has a category, else empty
--   KB_BENCH_SKIP_KINDS  kinds of query line not sent, comma-separated (e.g. "prefix": a bot
--                        sends whole questions, never an unfinished word)
--   KB_BENCH_OFFSET      where in each thread's share to start, 0..1 (default 0); the
--                        warm-up starts half-way, so the measured run repeats none of it
--
-- init() must stay cheap: wrk runs each thread's init() before starting that thread, and
-- starts its clock only after the last one, so the threads started first send requests
-- that the run counts but its duration leaves out. Rendering all 100,000 paths in init()
-- took about 3.7 s a thread and inflated the requests/s wrk printed by about 2.5 times.
-- init() now only reads the lines; request() renders each path when it is sent.
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

local template = os.getenv("KB_BENCH_TEMPLATE")
local skip = {}
for kind in (os.getenv("KB_BENCH_SKIP_KINDS") or ""):gmatch("[^,]+") do skip[kind] = true end

local function render(line)
  local kind, lang, q, cat = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?([^\t]*)$")
  if not q or skip[kind] then return nil end
  local path = template:gsub("{q}", function() return urlencode(q) end)
  path = path:gsub("{qprefix}", function() return urlencode(kind == "prefix" and q .. "*" or q) end)
  path = path:gsub("{catfilter}", function()
    if cat == nil or cat == "" then return "" end
    return urlencode(' && category == "' .. cat .. '"')
  end)
  path = path:gsub("{lang}", lang)
  path = path:gsub("{cat}", cat or "")
  -- Only the as-you-type queries have an unfinished last word.
  path = path:gsub("{prefix}", kind == "prefix" and "true" or "false")
  return path
end

function init(args)
  -- Raw lines only (no header); thread i starts at its own sixteenth of them, `offset` of
  -- the way in, and walks on through the file.
  lines = {}
  local first = true
  for line in io.lines(os.getenv("KB_BENCH_QUERY_FILE")) do
    if not first then table.insert(lines, line) end
    first = false
  end
  if #lines == 0 then error("no query lines in " .. os.getenv("KB_BENCH_QUERY_FILE")) end
  local share = math.floor(#lines / 16)
  index = share * id + math.floor(share * (tonumber(os.getenv("KB_BENCH_OFFSET") or "0") or 0))
  errors_non2xx = 0
end

function request()
  local path = nil
  local misses = 0
  while path == nil do
    index = index + 1
    path = render(lines[(index % #lines) + 1])
    misses = misses + 1
    if misses > #lines then error("no line of " .. os.getenv("KB_BENCH_QUERY_FILE") .. " is a query") end
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status >= 300 then errors_non2xx = errors_non2xx + 1 end
end
