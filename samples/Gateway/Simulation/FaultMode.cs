using System.Text.Json.Serialization;

namespace Gateway.Simulation;

/// <summary>How a simulated provider answers, as set through the control endpoint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultMode>))]
internal enum FaultMode
{
    /// <summary>Answers normally (apart from its configured random failure rates).</summary>
    [JsonStringEnumMemberName("healthy")]
    Healthy,

    /// <summary>Answers 500.</summary>
    [JsonStringEnumMemberName("failing")]
    Failing,

    /// <summary>Answers 429 with <c>Retry-After</c>.</summary>
    [JsonStringEnumMemberName("rate_limited")]
    RateLimited,

    /// <summary>Never answers, so the gateway's attempt timeout fires.</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,
}
