-- wrk script for the nomination write: each request nominates a distinct candidate (a real 201).
-- Arguments (after `--`): the run's unique id and the candidate's nationality (the focal point's
-- State). The URL gives the path; -H gives the Authorization header.
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  run_id = args[1] or tostring(os.time())
  nationality = args[2] or "AT"
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"candidate": {"given_name": "Bench", "family_name": "Candidate %d", '
      .. '"email": "bench.%s.%d.%d@example.org", "nationality": "%s", "gender": "undisclosed"}, '
      .. '"motivation": "[BENCH]"}',
    counter, run_id, thread_number, counter, nationality
  )
  return wrk.format(nil, nil, nil, body)
end
