using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using Metrics.Exposition;

namespace Metrics;

/// <summary>
/// Renders a registry for scrapes so that scrapes arriving together share the work: a scrape that arrives while a
/// collection of the same format and encoding is running (or due to start) waits for it and sends its bytes, so a flood
/// of scrapes runs one collection (and one compression) at a time instead of one per scrape. Collections of one format
/// and encoding start at most once per <see cref="ScrapeCacheOptions.MinimumInterval"/>, so scrapers that loop as fast
/// as they can mostly wait; optionally, the bytes of a finished collection are served again for
/// <see cref="ScrapeCacheOptions.CacheDuration"/>.
/// </summary>
/// <remarks>
/// It knows nothing of HTTP: a server hands it the format and encoding it negotiated and sends the result. The bytes
/// live in pooled buffers shared by every scrape that uses them; each <see cref="ScrapeResult"/> holds a reference, and
/// the buffer returns to the pool only when the last one is disposed. A failed collection fails every scrape that
/// waited for it, and the next scrape starts a new one. Each collection counts in <c>metrics_scrape_collections_total</c>.
/// </remarks>
public sealed class ScrapeCache
{
    private const string CollectionsName = "metrics_scrape_collections_total";

    private readonly Action<ExpositionFormat, IBufferWriter<byte>> _render;
    private readonly TimeProvider _clock;
    private readonly TimeProvider _pacing;
    private readonly Counter _collections;
    private readonly ConcurrentDictionary<(ExpositionFormat, ScrapeEncoding), Slot> _slots = new();

    /// <summary>Creates a cache of <paramref name="registry"/>'s scrapes.</summary>
    /// <param name="registry">The registry to render.</param>
    /// <param name="options">The cache duration and minimum interval; the defaults of <see cref="ScrapeCacheOptions"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A duration in <paramref name="options"/> is negative.</exception>
    public ScrapeCache(MetricRegistry registry, ScrapeCacheOptions? options = null)
        : this(registry, options ?? new ScrapeCacheOptions(), RenderFrom(registry), TimeProvider.System)
    {
    }

    // The cache's freshness follows the registry's clock, as everything the registry dates does; the pacing protects
    // the process's CPU, so it always runs on real time.
    internal ScrapeCache(MetricRegistry registry, ScrapeCacheOptions options, Action<ExpositionFormat, IBufferWriter<byte>> render, TimeProvider pacing)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CacheDuration, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinimumInterval, TimeSpan.Zero, nameof(options));
        CacheDuration = options.CacheDuration;
        MinimumInterval = options.MinimumInterval;
        _render = render;
        _clock = registry.TimeProvider;
        _pacing = pacing;
        _collections = registry.CreateCounter(
            CollectionsName, "Collections run to answer scrapes; scrapes that arrived while one of their format and encoding ran shared it.");
    }

    /// <summary>How long a finished collection answers later scrapes; zero when only collections in progress are shared.</summary>
    public TimeSpan CacheDuration { get; }

    /// <summary>The least time between the starts of two collections of one format and encoding.</summary>
    public TimeSpan MinimumInterval { get; }

    /// <summary>
    /// The exposition in <paramref name="format"/> and <paramref name="encoding"/>: the bytes of the collection in
    /// progress, or of a finished one still within <see cref="CacheDuration"/>, or of a new collection run now.
    /// </summary>
    /// <param name="format">The exposition format.</param>
    /// <param name="encoding">The encoding of the bytes.</param>
    /// <param name="cancellationToken">Stops this scrape's wait; a collection others wait for runs to the end.</param>
    /// <returns>The bytes, shared with other scrapes; dispose the result once they are sent.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The format or encoding is not one of the defined values.</exception>
    public async Task<ScrapeResult> RenderAsync(ExpositionFormat format, ScrapeEncoding encoding, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown exposition format.");
        }

        if (!Enum.IsDefined(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown scrape encoding.");
        }

        var slot = _slots.GetOrAdd((format, encoding), static _ => new Slot());
        while (true)
        {
            Flight flight;
            RenderedScrape? superseded = null;
            var lead = false;
            lock (slot)
            {
                var current = slot.Current;
                if (current is { Result: { } cached } && IsFresh(current) && cached.TryAcquire())
                {
                    return new ScrapeResult(cached, format, encoding);
                }

                if (current is null || current.IsFinished)
                {
                    superseded = current?.Supersede();
                    flight = new Flight();
                    slot.Current = flight;
                    lead = true;
                }
                else
                {
                    flight = current;
                    flight.Waiters++;
                }
            }

            superseded?.Release();
            if (lead)
            {
                return await Lead(slot, flight, format, encoding).ConfigureAwait(false);
            }

            var rendered = await Join(slot, flight, cancellationToken).ConfigureAwait(false);
            if (rendered.TryAcquire())
            {
                return new ScrapeResult(rendered, format, encoding);
            }
        }
    }

    /// <summary>How many scrapes wait for the collection in progress for <paramref name="format"/> and <paramref name="encoding"/>.</summary>
    internal int WaitingScrapes(ExpositionFormat format, ScrapeEncoding encoding)
    {
        if (!_slots.TryGetValue((format, encoding), out var slot))
        {
            return 0;
        }

        lock (slot)
        {
            return slot.Current is { IsFinished: false } flight ? flight.Waiters : 0;
        }
    }

    private static Action<ExpositionFormat, IBufferWriter<byte>> RenderFrom(MetricRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return (format, output) => MetricsExposition.Write(registry, format, output);
    }

    private static async Task<RenderedScrape> Join(Slot slot, Flight flight, CancellationToken cancellationToken)
    {
        try
        {
            return await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            RenderedScrape? released;
            lock (slot)
            {
                flight.Waiters--;
                released = flight.ReleaseWhenAbandoned();
            }

            released?.Release();
        }
    }

    private bool IsFresh(Flight flight) => CacheDuration > TimeSpan.Zero && _clock.GetElapsedTime(flight.FinishedAt) < CacheDuration;

    // The leader renders on its own thread: the work is CPU-bound and short, and the waiters need its result anyway.
    // It first waits out the minimum interval since the previous collection began, whatever becomes of its own
    // request: the scrapes that join meanwhile wait for the same collection.
    private async Task<ScrapeResult> Lead(Slot slot, Flight flight, ExpositionFormat format, ScrapeEncoding encoding)
    {
        if (slot.LastStarted is { } previous && MinimumInterval - _pacing.GetElapsedTime(previous) is var wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _pacing).ConfigureAwait(false);
        }

        slot.LastStarted = _pacing.GetTimestamp();
        RenderedScrape rendered;
        try
        {
            _collections.Inc();
            rendered = Render(slot, format, encoding);
        }
        catch (Exception exception)
        {
            lock (slot)
            {
                flight.Finish(null, _clock.GetTimestamp());
            }

            flight.Completion.SetException(exception);
            // Observed here, so a failure nobody waited for is not reported again as an unobserved task exception.
            _ = flight.Completion.Task.Exception;
            throw;
        }

        // One reference stays with the slot until a later collection supersedes this one; this one is the leader's.
        rendered.TryAcquire();
        lock (slot)
        {
            flight.Finish(rendered, _clock.GetTimestamp());
        }

        flight.Completion.SetResult(rendered);
        return new ScrapeResult(rendered, format, encoding);
    }

    private RenderedScrape Render(Slot slot, ExpositionFormat format, ScrapeEncoding encoding)
    {
        var output = new PooledBufferWriter(slot.SizeHint);
        try
        {
            if (encoding == ScrapeEncoding.Gzip)
            {
                using var plain = new PooledBufferWriter(slot.PlainSizeHint);
                _render(format, plain);
                slot.PlainSizeHint = plain.WrittenSpan.Length;
                using var compressor = new GZipStream(new BufferWriterStream(output), CompressionLevel.Fastest);
                compressor.Write(plain.WrittenSpan);
            }
            else
            {
                _render(format, output);
            }

            slot.SizeHint = output.WrittenSpan.Length;
            return new RenderedScrape(output);
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>The state of one (format, encoding): the latest collection, and the sizes that right-size the next buffers.</summary>
    private sealed class Slot
    {
        public Flight? Current { get; set; }

        public int SizeHint { get; set; } = 16 * 1024;

        public int PlainSizeHint { get; set; } = 64 * 1024;

        /// <summary>When the latest collection began, on the pacing clock; null before the first.</summary>
        public long? LastStarted { get; set; }
    }

    /// <summary>
    /// One collection: in progress until it finishes with bytes or fails. Its bytes keep one reference for the slot
    /// until a later collection supersedes it and no joined scrape still has to take its own.
    /// </summary>
    private sealed class Flight
    {
        public TaskCompletionSource<RenderedScrape> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Waiters { get; set; }

        public bool IsFinished { get; private set; }

        public RenderedScrape? Result { get; private set; }

        public long FinishedAt { get; private set; }

        private bool IsSuperseded { get; set; }

        public void Finish(RenderedScrape? result, long timestamp)
        {
            Result = result;
            FinishedAt = timestamp;
            IsFinished = true;
        }

        /// <summary>Marks a later collection as current; returns the bytes to release now, or null while scrapes still join.</summary>
        public RenderedScrape? Supersede()
        {
            IsSuperseded = true;
            return ReleaseWhenAbandoned();
        }

        /// <summary>The slot's reference, once superseded and no longer awaited; it is handed out at most once.</summary>
        public RenderedScrape? ReleaseWhenAbandoned()
        {
            if (!IsSuperseded || Waiters > 0 || Result is not { } result)
            {
                return null;
            }

            Result = null;
            return result;
        }
    }
}
