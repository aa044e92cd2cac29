using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Metrics.AspNetCore;
using Microsoft.Extensions.ObjectPool;

namespace Metrics.Benchmarks.Baseline;

/// <summary>
/// The request middleware as it was before body counters were kept per connection, for one BenchmarkDotNet run to
/// compare before and after: its counters come from one pool shared by every connection. Kept only for that
/// comparison; the figures are in the closing note of issue 14.
/// </summary>
/// <remarks>
/// Records every request that reaches it: count and duration by route, method and status, in-flight requests, and
/// body bytes by route. A handler that throws is recorded as 500 and the exception propagates; a request whose client
/// went away is recorded as 499.
/// 
/// The route is read when the request completes, so the middleware may sit before or after <c>UseRouting</c>. When
/// the endpoint is already known on entry, an excluded endpoint (the metrics endpoint) is not even counted in flight.
/// </remarks>
internal sealed class PooledCountersMiddleware
{
    private readonly RequestDelegate _next;
    private readonly HttpRequestMetrics _metrics;
    private readonly ObjectPool<BodyByteCounters> _counters;

    public PooledCountersMiddleware(RequestDelegate next, HttpRequestMetrics metrics)
    {
        _next = next;
        _metrics = metrics;
        // Enough retained counters for every request in flight on a busy server, so the pool rarely falls back to allocating.
        _counters = new DefaultObjectPool<BodyByteCounters>(new DefaultPooledObjectPolicy<BodyByteCounters>(), Math.Max(256, Environment.ProcessorCount * 32));
    }

    // Hot path: allocates nothing of its own; a handler that completes synchronously costs no state machine either.
    public Task InvokeAsync(HttpContext context)
    {
        if (_metrics.IsExcludedPath(context.Request.Path) || (context.GetEndpoint() is { } endpoint && _metrics.RouteOf(endpoint) is null))
        {
            return _next(context);
        }

        var counters = _counters.Get();
        counters.Attach(context);
        var start = Stopwatch.GetTimestamp();
        _metrics.InFlight.Inc();
        Task pending;
        try
        {
            pending = _next(context);
        }
        catch
        {
            Complete(context, start, counters, failed: true);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            Complete(context, start, counters, failed: false);
            return Task.CompletedTask;
        }

        return AwaitRequest(pending, context, start, counters);
    }

    private async Task AwaitRequest(Task pending, HttpContext context, long start, BodyByteCounters counters)
    {
        var failed = true;
        try
        {
            await pending.ConfigureAwait(false);
            failed = false;
        }
        finally
        {
            Complete(context, start, counters, failed);
        }
    }

    private void Complete(HttpContext context, long start, BodyByteCounters counters, bool failed)
    {
        var seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        counters.Detach(context);
        try
        {
            var route = _metrics.RouteOf(context.GetEndpoint());
            if (route is null)
            {
                return;
            }

            var status = context.RequestAborted.IsCancellationRequested ? StatusCodes.Status499ClientClosedRequest
                : failed ? StatusCodes.Status500InternalServerError
                : context.Response.StatusCode;
            var series = route.For(HttpMethodLabel.IndexOf(context.Request.Method), status);
            series.Requests.Inc();
            series.Duration.Observe(seconds);
            // Most requests have no body: skipping zero spares an atomic add on a cache line every core shares.
            if (counters.RequestBytes > 0)
            {
                route.RequestBodyBytes.Inc(counters.RequestBytes);
            }

            if (counters.ResponseBytes > 0)
            {
                route.ResponseBodyBytes.Inc(counters.ResponseBytes);
            }
        }
        finally
        {
            _counters.Return(counters);
            _metrics.InFlight.Dec();
        }
    }
}
