-- load_wrk.lua: wrk script for 85_load.sh: cycles through every API route, counts statuses per second and per route
--
-- The routes come from the file named by the environment variable
-- LOAD_PATHS (one path per line). done() writes one line per (second,
-- status) to LOAD_OUT: "epoch status count", then up to 20 bodies of
-- non-200 answers ("# body STATUS text"). wrk keeps no per-request context,
-- so an answer cannot be tied to its route here (85_load.sh checks routes
-- one by one in its quiet periods).

local paths = {}
local idx = 0
counts = {}
bodies = {}

local function read_paths()
	local f = assert(io.open(os.getenv("LOAD_PATHS"), "r"))
	for line in f:lines() do
		if line ~= "" then
			paths[#paths + 1] = line
		end
	end
	f:close()
end

local threads = {}

function setup(thread)
	threads[#threads + 1] = thread
	thread:set("id", #threads)
end

function init(args)
	read_paths()
	-- Start each thread at a different route so that all are hit at once.
	idx = (id or 0) * 7
end

function request()
	idx = idx % #paths + 1
	return wrk.format("GET", paths[idx])
end

function response(status, headers, body)
	local key = os.time() .. " " .. status
	counts[key] = (counts[key] or 0) + 1
	if status ~= 200 and #bodies < 10 then
		bodies[#bodies + 1] = status .. " " .. string.sub((string.gsub(body or "", "%s+", " ")), 1, 200)
	end
end

function done(summary, latency, requests)
	local out = assert(io.open(os.getenv("LOAD_OUT"), "w"))
	for _, t in ipairs(threads) do
		local c = t:get("counts")
		for k, v in pairs(c) do
			out:write(k .. " " .. v .. "\n")
		end
		for _, b in ipairs(t:get("bodies")) do
			out:write("# body " .. b .. "\n")
		end
	end
	out:write(string.format("# requests %d errors connect %d read %d write %d status %d timeout %d\n",
		summary.requests, summary.errors.connect, summary.errors.read,
		summary.errors.write, summary.errors.status, summary.errors.timeout))
	out:write(string.format("# latency p50 %.0f p99 %.0f max %.0f us\n",
		latency:percentile(50), latency:percentile(99), latency.max))
	out:close()
end
