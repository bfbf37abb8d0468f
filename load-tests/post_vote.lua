-- wrk script: POST a JSON vote and report p50/p95/p99 latency at the end.
wrk.method = "POST"
wrk.body = '{"vote": "cats"}'
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d errors=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout,
    summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
