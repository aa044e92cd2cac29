using System.Net.Http.Headers;
using Metrics.Exposition;
using Metrics.Pushing;

namespace Metrics;

/// <summary>
/// Pushes a registry to a Prometheus Pushgateway, for a batch job that may end before any scrape: one push on demand,
/// periodic pushes once <see cref="Start"/> is called, a final push on dispose, and deletion of the group.
/// </summary>
/// <remarks>
/// A push is the registry in Prometheus text 0.0.4, or in protobuf when <see cref="MetricPusherOptions.Format"/> asks
/// for it (native histograms need it), sent to the group that <see cref="MetricPusherOptions.Job"/> and
/// <see cref="MetricPusherOptions.GroupingLabels"/> name. Pushes never overlap: one waits for the one before it, so
/// the Pushgateway receives them in order. A push never throws for a failed request: it is retried with backoff as
/// <see cref="MetricPusherOptions.MaxAttempts"/> allows, then counted in <c>metrics_push_failures_total</c> and returned
/// as a <see cref="PushResult"/>; every result, periodic pushes' included, is also raised as <see cref="Completed"/>.
/// </remarks>
public sealed class MetricPusher : IAsyncDisposable, IDisposable
{
    private const string FailuresName = "metrics_push_failures_total";
    private const int MessageLength = 512;

    private readonly MetricRegistry _registry;
    private readonly TimeProvider _waits;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly PushMethod _method;
    private readonly ExpositionFormat _format;
    private readonly MediaTypeHeaderValue _contentType;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly int _maxAttempts;
    private readonly TimeSpan _retryDelay;
    private readonly bool _pushOnDispose;
    private readonly Counter _failures;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _periodic;
    private int _disposed;

    /// <summary>Creates a pusher of <paramref name="registry"/>; nothing is sent until a push is asked for.</summary>
    /// <param name="registry">The registry to push.</param>
    /// <param name="options">The Pushgateway, the grouping key and the retry policy.</param>
    /// <exception cref="ArgumentException">
    /// The endpoint is not an absolute http or https URL, the job is empty, a grouping label name is invalid or
    /// repeated, a duration or the attempt count is not positive, or the format is not one the Pushgateway reads.
    /// </exception>
    public MetricPusher(MetricRegistry registry, MetricPusherOptions options)
        : this(registry, options, TimeProvider.System)
    {
    }

    /// <summary>Creates a pusher whose retry delays and push period run on <paramref name="waits"/>.</summary>
    internal MetricPusher(MetricRegistry registry, MetricPusherOptions options, TimeProvider waits)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Endpoint, nameof(options));
        if (!options.Endpoint.IsAbsoluteUri || options.Endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The Pushgateway endpoint '{options.Endpoint}' is not an absolute http or https URL.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Interval, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryDelay, TimeSpan.Zero, nameof(options));
        if (!Enum.IsDefined(options.Method))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Method, "Unknown push method.");
        }

        if (options.Format is not (ExpositionFormat.PrometheusText or ExpositionFormat.Protobuf))
        {
            throw new ArgumentException(
                $"The push format '{options.Format}' is not one the Pushgateway reads: use {nameof(ExpositionFormat.PrometheusText)} or {nameof(ExpositionFormat.Protobuf)}.",
                nameof(options));
        }

        var path = GroupingKey.PathOf(options.Job, [.. options.GroupingLabels]);
        GroupUrl = new Uri(options.Endpoint.AbsoluteUri.TrimEnd('/') + "/" + path);
        _registry = registry;
        _waits = waits;
        _method = options.Method;
        _format = options.Format;
        _contentType = MediaTypeHeaderValue.Parse(MetricsExposition.ContentTypeOf(options.Format));
        _interval = options.Interval;
        _timeout = options.Timeout;
        _maxAttempts = options.MaxAttempts;
        _retryDelay = options.RetryDelay;
        _pushOnDispose = options.PushOnDispose;
        _ownsClient = options.HttpClient is null;
        _client = options.HttpClient ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _failures = registry.CreateCounter(FailuresName, "Pushes and deletions that failed after every retry.");
    }

    /// <summary>
    /// Raised after every push and deletion, the periodic ones included, with its outcome. It runs on the pushing
    /// thread; an exception it throws is ignored, so it can never stop the periodic pushes.
    /// </summary>
    public event EventHandler<PushResult>? Completed;

    /// <summary>The group's URL on the Pushgateway.</summary>
    public Uri GroupUrl { get; }

    /// <summary>Pushes the registry now, with <see cref="MetricPusherOptions.Method"/>, after any push in progress.</summary>
    /// <param name="cancellationToken">Abandons the push, which then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The outcome; a failure is returned, never thrown.</returns>
    public Task<PushResult> PushAsync(CancellationToken cancellationToken = default) =>
        SendAsync(_method == PushMethod.Add ? HttpMethod.Post : HttpMethod.Put, cancellationToken);

    /// <summary>Deletes the group and every metric in it from the Pushgateway, after any push in progress.</summary>
    /// <param name="cancellationToken">Abandons the deletion, which then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The outcome; a failure is returned, never thrown.</returns>
    public Task<PushResult> DeleteAsync(CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Delete, cancellationToken);

    /// <summary>Starts pushing now and then every <see cref="MetricPusherOptions.Interval"/> until disposed. Calling it again does nothing.</summary>
    /// <exception cref="ObjectDisposedException">The pusher was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_stopping)
        {
            _periodic ??= PushPeriodicallyAsync(_stopping.Token);
        }
    }

    /// <summary>
    /// Stops the periodic pushes, waiting for one in progress, then pushes a last time when
    /// <see cref="MetricPusherOptions.PushOnDispose"/> is set. Calling it again does nothing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Task? periodic;
        lock (_stopping)
        {
            periodic = _periodic;
            _stopping.Cancel();
        }

        if (periodic is not null)
        {
            await periodic.ConfigureAwait(false);
        }

        if (_pushOnDispose)
        {
            await PushAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _oneAtATime.Dispose();
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>Disposes as <see cref="DisposeAsync"/> does, blocking until the final push is done.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static bool IsWorthRetrying(int status) => status is 408 or 429 or >= 500;

    private async Task PushPeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_interval, _waits);
        try
        {
            do
            {
                await PushAsync(stopping).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task<PushResult> SendAsync(HttpMethod method, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        PushResult result;
        try
        {
            result = await SendWithRetriesAsync(method, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }

        if (!result.Succeeded)
        {
            _failures.Inc();
        }

        try
        {
            Completed?.Invoke(this, result);
        }
#pragma warning disable CA1031 // The caller's handler must not break the pushes it observes.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return result;
    }

    private async Task<PushResult> SendWithRetriesAsync(HttpMethod method, CancellationToken cancellationToken)
    {
        // One rendering serves every attempt, so a retry sends the values the push first read.
        using var body = new PooledBufferWriter();
        if (method != HttpMethod.Delete)
        {
            MetricsExposition.Write(_registry, _format, body);
        }

        var delay = _retryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var (status, error, message) = await SendOnceAsync(method, body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            var retry = (status is null || IsWorthRetrying(status.Value)) && attempt < _maxAttempts;
            if (!retry)
            {
                return new PushResult(method.Method, GroupUrl, attempt, status, error, message);
            }

            await Task.Delay(delay, _waits, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    private async Task<(int? Status, Exception? Error, string? Message)> SendOnceAsync(HttpMethod method, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(method, GroupUrl);
        if (method != HttpMethod.Delete)
        {
            request.Content = new ReadOnlyMemoryContent(body);
            request.Content.Headers.ContentType = _contentType;
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (status, null, null);
            }

            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return (status, null, text.Length > MessageLength ? text[..MessageLength] : text);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new TimeoutException($"The Pushgateway did not answer {method} {GroupUrl} within {_timeout.TotalSeconds:0.###} s.", exception), null);
        }
        catch (HttpRequestException exception)
        {
            return (null, exception, null);
        }
    }
}
