namespace Gateway.Telemetry;

/// <summary>The body of <c>GET /v1/stats</c>: every number computed from one registry snapshot.</summary>
/// <param name="UptimeSeconds">Whole seconds since the gateway started.</param>
/// <param name="Requests">Totals over all LLM requests.</param>
/// <param name="Backends">One entry per provider, in name order.</param>
/// <param name="Models">One entry per model, in name order.</param>
internal sealed record StatsReport(long UptimeSeconds, RequestStats Requests, IReadOnlyList<BackendStats> Backends, IReadOnlyList<ModelStats> Models);

/// <summary>Totals over all LLM requests, from <c>llm_requests_total</c>.</summary>
/// <param name="Total">Every request, whatever its status.</param>
/// <param name="Success">Requests answered with a status below 400.</param>
/// <param name="Errors">Requests answered with 400 or above.</param>
/// <param name="ErrorRate">Errors divided by total; 0 before the first request.</param>
internal sealed record RequestStats(long Total, long Success, long Errors, double ErrorRate);

/// <summary>One provider's share of the traffic and its state.</summary>
/// <param name="Id">The provider name.</param>
/// <param name="Style">The protocol it speaks: <c>openai</c> or <c>anthropic</c>.</param>
/// <param name="Requests">Requests it answered (<c>llm_requests_total</c> with its provider label).</param>
/// <param name="Errors">Its failures (<c>llm_errors_total</c> with its provider label).</param>
/// <param name="Retries">Retries its Polly pipeline made.</param>
/// <param name="Healthy">Whether its last probe succeeded and its circuit is not open.</param>
/// <param name="CircuitState"><c>closed</c>, <c>open</c> or <c>half_open</c>, from <c>llm_circuit_state</c>.</param>
/// <param name="AverageLatencyMs">Mean request duration, or null before its first request.</param>
/// <param name="P50LatencyMs">Median request duration, estimated from the histogram buckets as PromQL does.</param>
/// <param name="P95LatencyMs">95th percentile request duration, estimated the same way.</param>
internal sealed record BackendStats(
    string Id,
    string Style,
    long Requests,
    long Errors,
    long Retries,
    bool Healthy,
    string CircuitState,
    double? AverageLatencyMs,
    double? P50LatencyMs,
    double? P95LatencyMs);

/// <summary>One model's traffic and tokens.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Providers">Its provider chain, in order.</param>
/// <param name="Requests">Requests for it (<c>llm_requests_total</c> with its model label).</param>
/// <param name="PromptTokens">Prompt tokens over all its providers.</param>
/// <param name="CompletionTokens">Completion tokens over all its providers.</param>
/// <param name="AverageDurationMs">Mean request duration, or null before its first served request.</param>
/// <param name="P50DurationMs">Median request duration.</param>
/// <param name="P95DurationMs">95th percentile request duration.</param>
internal sealed record ModelStats(
    string Name,
    IReadOnlyList<string> Providers,
    long Requests,
    long PromptTokens,
    long CompletionTokens,
    double? AverageDurationMs,
    double? P50DurationMs,
    double? P95DurationMs);
