-- wrk: a sign-in as the hydrated client sends it (bench.sh).
wrk.method = "POST"
wrk.body = "email=owner%40example.org&password=" .. os.getenv("E2E_OWNER_PASSWORD")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
