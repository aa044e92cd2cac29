-- wrk script of the scrape flood: each connection scrapes /metrics in a loop, asking as Prometheus 2 does (OpenMetrics
-- first, gzip), so every scrape wants the same format and encoding and may share a collection.
wrk.method = "GET"
wrk.headers["Accept"] = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
wrk.headers["Accept-Encoding"] = "gzip"
