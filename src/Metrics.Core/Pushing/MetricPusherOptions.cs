namespace Metrics;

/// <summary>Where and how a <see cref="MetricPusher"/> pushes.</summary>
public sealed class MetricPusherOptions
{
    /// <summary>The Pushgateway's base address, for example <c>http://localhost:9091</c>; a path prefix is kept.</summary>
    public required Uri Endpoint { get; set; }

    /// <summary>The <c>job</c> of the grouping key; not empty.</summary>
    public required string Job { get; set; }

    /// <summary>
    /// The other labels of the grouping key, for example <c>instance</c>. Names follow the label name rules and are not
    /// <c>job</c>; any value is allowed, the empty one and those holding <c>/</c> included.
    /// </summary>
    public IDictionary<string, string> GroupingLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The format of the pushed body: <see cref="ExpositionFormat.PrometheusText"/> (the default) or
    /// <see cref="ExpositionFormat.Protobuf"/>, the only one that carries native histograms. The Pushgateway serves
    /// what it received to Prometheus, so a native histogram pushed as text reaches it as its <c>_count</c>,
    /// <c>_sum</c> and <c>+Inf</c> bucket only. The Pushgateway does not read OpenMetrics.
    /// </summary>
    public ExpositionFormat Format { get; set; } = ExpositionFormat.PrometheusText;

    /// <summary>Replace the group's metrics (<c>PUT</c>, the default) or add to them (<c>POST</c>).</summary>
    public PushMethod Method { get; set; } = PushMethod.Replace;

    /// <summary>The time between periodic pushes once <see cref="MetricPusher.Start"/> is called; 15 seconds by default.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one request may take before it counts as failed; 10 seconds by default.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many requests one push may send: a request that fails without an answer, or gets 408, 429 or a 5xx, is sent
    /// again until this many were sent. 3 by default; 1 disables retries.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry, doubled before each further one; 1 second by default.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether disposing the pusher pushes once more, so the last values recorded reach the Pushgateway; true by default.</summary>
    public bool PushOnDispose { get; set; } = true;

    /// <summary>The client to send with, owned by the caller; null makes the pusher create (and dispose) its own.</summary>
    public HttpClient? HttpClient { get; set; }
}
