namespace Metrics;

/// <summary>
/// The sliding time window of a <see cref="Summary"/>'s quantiles, made of age buckets as in the Prometheus Go
/// client: <c>AgeBuckets</c> estimators each take every observation, and every <c>MaxAge / AgeBuckets</c> the
/// oldest is cleared and starts again. Queries read the oldest, which covers between <c>MaxAge - MaxAge/AgeBuckets</c>
/// and <c>MaxAge</c>.
/// </summary>
/// <remarks>
/// Observations arrive in chunks from the summary's per-processor stripes, each dated by its first observation (so
/// a stripe reads the clock once per chunk, not per observation) and sorted by its writer. Chunks merge into a
/// sorted batch, which is merged into every estimator that was live at the batch's date; a batch never spans two
/// age buckets. An observation can therefore leave the window early by at most the time its chunk waited in a
/// stripe, which every collection bounds by draining the stripes. Callers hold <see cref="SyncRoot"/> for every
/// member but <see cref="Now"/>; measurements take it only when a stripe's chunk is full, never per observation.
/// </remarks>
internal sealed class SummaryWindow
{
    private const int BatchCapacity = 512;

    private readonly TimeProvider _time;
    private readonly double[] _quantiles;
    private readonly QuantileStream[] _streams;
    private readonly long[] _clearedAt;
    private readonly long _bucketTicks;
    private readonly long _origin;
    private readonly double[] _batch = new double[BatchCapacity];
    private int _batchCount;
    private long _batchDate;
    private int _head;
    private long _headExpiry;

    public SummaryWindow(SummaryLayout layout, TimeProvider time)
    {
        _time = time;
        _quantiles = layout.Quantiles;
        _bucketTicks = Math.Max(1, (long)(layout.MaxAge.TotalSeconds / layout.AgeBuckets * time.TimestampFrequency));
        _streams = new QuantileStream[layout.AgeBuckets];
        _clearedAt = new long[layout.AgeBuckets];
        var now = time.GetTimestamp();
        _origin = now;
        for (var i = 0; i < _streams.Length; i++)
        {
            _streams[i] = new QuantileStream(layout.Quantiles, layout.Errors);
            _clearedAt[i] = now;
        }

        _headExpiry = now + _bucketTicks;
    }

    /// <summary>The lock that serialises every member.</summary>
    public object SyncRoot => _streams;

    /// <summary>The current time in <see cref="TimeProvider.GetTimestamp"/> units, for dating chunks.</summary>
    public long Now() => _time.GetTimestamp();

    /// <summary>
    /// Adds a sorted chunk of at most 512 observations made from <paramref name="date"/> on, merging it into the
    /// sorted batch; the caller holds <see cref="SyncRoot"/>.
    /// </summary>
    public void Add(ReadOnlySpan<double> sortedChunk, long date)
    {
        if (sortedChunk.IsEmpty)
        {
            return;
        }

        if (_batchCount > 0
            && (AgeBucketOf(date) != AgeBucketOf(_batchDate) || _batchCount + sortedChunk.Length > BatchCapacity))
        {
            FlushBatch();
        }

        _batchDate = _batchCount == 0 ? date : Math.Min(_batchDate, date);
        // Merge from the back, in place: each batch value moves at most once.
        var batch = _batch;
        var read = _batchCount - 1;
        var write = _batchCount + sortedChunk.Length - 1;
        for (var next = sortedChunk.Length - 1; next >= 0; write--)
        {
            batch[write] = read >= 0 && batch[read] > sortedChunk[next] ? batch[read--] : sortedChunk[next--];
        }

        _batchCount += sortedChunk.Length;
    }

    /// <summary>
    /// Writes the estimate of each objective into <paramref name="values"/>, in quantile order; NaN when the window
    /// holds no observation. The caller holds <see cref="SyncRoot"/> and has added every pending chunk.
    /// </summary>
    public void Query(Span<double> values)
    {
        FlushBatch();
        Rotate(_time.GetTimestamp());
        var head = _streams[_head];
        for (var i = 0; i < _quantiles.Length; i++)
        {
            values[i] = head.Query(_quantiles[i]);
        }
    }

    /// <summary>Which age-bucket period, counted from the window's creation, <paramref name="date"/> falls in.</summary>
    private long AgeBucketOf(long date) => date < _origin ? -1 : (date - _origin) / _bucketTicks;

    private void FlushBatch()
    {
        if (_batchCount == 0)
        {
            return;
        }

        Rotate(_batchDate);
        var batch = _batch.AsSpan(0, _batchCount);
        for (var i = 0; i < _streams.Length; i++)
        {
            // A bucket cleared after the batch's date must not see it: the observations predate its window.
            if (_clearedAt[i] <= _batchDate)
            {
                _streams[i].InsertSorted(batch);
            }
        }

        _batchCount = 0;
    }

    /// <summary>Clears each age bucket whose time is up by <paramref name="now"/>, oldest first; O(buckets) however far time jumped.</summary>
    private void Rotate(long now)
    {
        if (now < _headExpiry)
        {
            return;
        }

        var due = 1 + ((now - _headExpiry) / _bucketTicks);
        // Only the last round of clearings matters: a bucket cleared twice keeps the later time.
        var skipped = Math.Max(0, due - _streams.Length);
        for (var rotation = skipped; rotation < due; rotation++)
        {
            var index = (int)((_head + rotation) % _streams.Length);
            _streams[index].Reset();
            _clearedAt[index] = _headExpiry + (rotation * _bucketTicks);
        }

        _head = (int)((_head + due) % _streams.Length);
        _headExpiry += due * _bucketTicks;
    }
}
