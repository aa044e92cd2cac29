namespace Metrics;

/// <summary>
/// A family whose series are <typeparamref name="TSeries"/>. Looking up an existing series never locks and
/// never allocates; the first lookup of a label set creates its series once, even under racing callers.
/// </summary>
/// <typeparam name="TSeries">The series class: <see cref="Counter"/>, <see cref="Gauge"/>, <see cref="Histogram"/>, ….</typeparam>
public sealed class MetricFamily<TSeries> : MetricFamily
    where TSeries : MetricSeries
{
    private readonly Func<MetricFamily<TSeries>, string[], TSeries> _create;
    private readonly SeriesTable<TSeries> _table = new();
    private TSeries? _overflow;

    internal MetricFamily(
        MetricRegistry registry, FamilyShape shape, int cardinalityLimit, TimeSpan? expireAfter, Func<MetricFamily<TSeries>, string[], TSeries> create)
        : base(registry, shape, cardinalityLimit, expireAfter)
    {
        _create = create;
    }

    internal override SeriesList Series => _table.Series;

    /// <summary>The series for one label value.</summary>
    /// <exception cref="ArgumentException">The family does not have exactly one label.</exception>
    // Hot path: no lock, no allocation once the series exists.
    public TSeries WithLabels(string value) => WithLabels(new ReadOnlySpan<string>(in value));

    /// <summary>The series for two label values, in label-name order.</summary>
    /// <exception cref="ArgumentException">The family does not have exactly two labels.</exception>
    public TSeries WithLabels(string first, string second)
    {
        var values = default(LabelValueSet);
        values[0] = first;
        values[1] = second;
        return WithLabels(((ReadOnlySpan<string>)values)[..2]);
    }

    /// <summary>The series for three label values, in label-name order.</summary>
    /// <exception cref="ArgumentException">The family does not have exactly three labels.</exception>
    public TSeries WithLabels(string first, string second, string third)
    {
        var values = default(LabelValueSet);
        values[0] = first;
        values[1] = second;
        values[2] = third;
        return WithLabels((ReadOnlySpan<string>)values);
    }

    /// <summary>The series for any number of label values, in label-name order.</summary>
    /// <exception cref="ArgumentException">The number of values differs from the number of label names.</exception>
    /// <exception cref="ArgumentNullException">A value is null.</exception>
    // Hot path: no lock, no allocation once the series exists.
    public TSeries WithLabels(ReadOnlySpan<string> values)
    {
        if (values.Length != LabelNameArray.Length)
        {
            ThrowWrongCount(values.Length);
        }

        var hash = SeriesTable<TSeries>.Hash(values);
        return _table.Find(values, hash) ?? GetOrCreate(values, hash);
    }

    /// <summary>
    /// Adds <paramref name="series"/>, built by the caller for this family (a callback series, which carries its own
    /// callback), unless its label set exists; returns the series the family holds for that label set.
    /// </summary>
    /// <exception cref="InvalidOperationException">The family is at its cardinality limit.</exception>
    internal TSeries GetOrAdd(TSeries series)
    {
        var values = series.LabelValueArray;
        if (values.Length != LabelNameArray.Length)
        {
            ThrowWrongCount(values.Length);
        }

        var hash = SeriesTable<TSeries>.Hash(values);
        lock (_table.WriteLock)
        {
            if (_table.Find(values, hash) is { } existing)
            {
                return existing;
            }

            if (_table.Count >= CardinalityLimit)
            {
                throw new InvalidOperationException($"Metric '{Name}' already holds {CardinalityLimit} label sets, its cardinality limit.");
            }

            _table.Add(series, hash);
            return series;
        }
    }

    private TSeries GetOrCreate(ReadOnlySpan<string> values, int hash)
    {
        // A full family that never expires series never has room again, so a label-explosion attack folds its new
        // label sets here without queueing every request on the write lock.
        if (ExpireAfter is null && Volatile.Read(ref _overflow) is { } folded && _table.Count >= CardinalityLimit)
        {
            Registry.SelfMetrics.RecordSeriesOverflow(Name);
            return folded;
        }

        TSeries overflow;
        lock (_table.WriteLock)
        {
            var existing = _table.Find(values, hash);
            if (existing is not null)
            {
                return existing;
            }

            // An expired series that a call site still holds comes back, so the label set keeps one series and one total.
            if (_table.TakeExpired(values, hash) is { } expired)
            {
                Reinstate(expired, hash);
                return expired;
            }

            if (_table.Count < CardinalityLimit)
            {
                var series = _create(this, values.ToArray());
                _table.Add(series, hash);
                return series;
            }

            overflow = _overflow ??= CreateOverflow();
        }

        // Counted outside the lock: the overflow counter lives in another family, with its own lock.
        Registry.SelfMetrics.RecordSeriesOverflow(Name);
        return overflow;
    }

    internal override void ExpireIdleSeries(long now, TimeProvider clock)
    {
        var expireAfter = ExpireAfter!.Value;
        lock (_table.WriteLock)
        {
            var series = _table.Series;
            var expired = false;
            for (var i = 0; i < series.Count; i++)
            {
                // The overflow series stays: it is the family's record of label sets it refused.
                if (!ReferenceEquals(series[i], _overflow))
                {
                    expired |= series[i].ExpireIfIdle(now, expireAfter, clock);
                }
            }

            if (expired)
            {
                _table.RemoveExpired();
            }

            _table.ForgetCollected();
        }
    }

    internal override void Restore(MetricSeries series)
    {
        lock (_table.WriteLock)
        {
            if (series.IsExpired)
            {
                var restored = (TSeries)series;
                var hash = SeriesTable<TSeries>.Hash(restored.LabelValueArray);
                _table.TakeExpired(restored.LabelValueArray, hash);
                Reinstate(restored, hash);
            }
        }
    }

    // Under the write lock. A series comes back even at the cardinality limit: it was counted when it was created,
    // and its handle already holds its memory.
    private void Reinstate(TSeries series, int hash)
    {
        _table.Add(series, hash);
        series.MarkRestored();
    }

    private TSeries CreateOverflow()
    {
        var values = new string[LabelNameArray.Length];
        Array.Fill(values, OverflowLabelValue);
        var series = _create(this, values);
        _table.Append(series);
        return series;
    }

    private protected override bool RemoveSeries(ReadOnlySpan<string> values)
    {
        var hash = SeriesTable<TSeries>.Hash(values);
        lock (_table.WriteLock)
        {
            return _table.Remove(values, hash);
        }
    }

    private protected override void ClearSeries()
    {
        lock (_table.WriteLock)
        {
            _table.Clear();
            Volatile.Write(ref _overflow, null);
        }
    }
}
