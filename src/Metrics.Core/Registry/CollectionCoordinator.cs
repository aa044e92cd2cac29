namespace Metrics;

/// <summary>
/// The scrape-time work of a registry: expiring idle series, then running the before-collect callbacks and the
/// callback series. Overlapping collections take turns here, never in the rendering that follows. A callback that
/// throws is isolated: the collection goes on, and the failure is counted.
/// </summary>
internal sealed class CollectionCoordinator(RegistrySelfMetrics selfMetrics)
{
    private readonly object _registrationLock = new();

    // Serializes the callbacks of overlapping collections: otherwise one scrape's callback could read its source,
    // another's read and set a newer value, and the first then set the older one, so a callback counter would go back.
    private readonly object _collectionLock = new();
    private Action[] _beforeCollectCallbacks = [];
    private MetricSeries[] _callbackSeries = [];

    public IDisposable AddBeforeCollectCallback(Action callback)
    {
        lock (_registrationLock)
        {
            _beforeCollectCallbacks = [.. _beforeCollectCallbacks, callback];
        }

        return new Registration(this, callback);
    }

    /// <summary>
    /// Adds the series of <paramref name="labelValues"/> to a family of callback series, or returns it when it is there
    /// with the same callback, and evaluates its callback at every collection from then on.
    /// </summary>
    /// <exception cref="InvalidOperationException">The series is there with another callback.</exception>
    public TSeries AddCallbackSeries<TSeries>(
        MetricFamily<TSeries> family, ReadOnlySpan<string> labelValues, Func<double> callback, Func<MetricFamily<TSeries>, string[], Func<double>, TSeries> create)
        where TSeries : MetricSeries, ICallbackSeries
    {
        var series = family.GetOrAdd(create(family, labelValues.ToArray(), callback));
        if (series.Source.Callback != callback)
        {
            var labels = labelValues.Length == 0 ? "" : $" with labels [{string.Join(", ", series.LabelValueArray)}]";
            throw new InvalidOperationException($"Metric '{family.Name}'{labels} is already registered as {family.Shape.Kind} with another callback.");
        }

        lock (_registrationLock)
        {
            if (Array.IndexOf(_callbackSeries, series) < 0)
            {
                _callbackSeries = [.. _callbackSeries, series];
            }
        }

        return series;
    }

    /// <summary>The series factory of a callback family: its series come with their callback, which a bare label lookup has none of.</summary>
    public static TSeries RejectLabelLookup<TSeries>(MetricFamily<TSeries> family, string[] labelValues)
        where TSeries : MetricSeries =>
        throw new InvalidOperationException($"Metric '{family.Name}' holds callback series, which are registered with their callback.");

    /// <summary>Stops evaluating the callbacks of series that left their family, or of every series of <paramref name="family"/>.</summary>
    public void ForgetCallbackSeries(MetricFamily? family = null)
    {
        lock (_registrationLock)
        {
            _callbackSeries = Array.FindAll(_callbackSeries, series => !series.IsRemoved && !ReferenceEquals(series.Family, family));
        }
    }

    /// <summary>Removes idle series, runs the callbacks, and returns the families in exposition order.</summary>
    public MetricFamily[] Prepare(FamilyDirectory families, TimeProvider clock)
    {
        lock (_collectionLock)
        {
            var expiring = families.Expiring;
            if (expiring.Length > 0)
            {
                var now = clock.GetTimestamp();
                foreach (var family in expiring)
                {
                    family.ExpireIdleSeries(now, clock);
                }
            }

            foreach (var callback in Volatile.Read(ref _beforeCollectCallbacks))
            {
                try
                {
                    callback();
                }
#pragma warning disable CA1031 // A user callback may throw anything; the scrape must survive it.
                catch (Exception)
#pragma warning restore CA1031
                {
                    selfMetrics.RecordScrapeError();
                }
            }

            foreach (var series in Volatile.Read(ref _callbackSeries))
            {
                if (!((ICallbackSeries)series).Source.Evaluate())
                {
                    selfMetrics.RecordScrapeError();
                }
            }
        }

        return families.Sorted;
    }

    private void Remove(Action callback)
    {
        lock (_registrationLock)
        {
            var index = Array.IndexOf(_beforeCollectCallbacks, callback);
            if (index >= 0)
            {
                _beforeCollectCallbacks = [.. _beforeCollectCallbacks[..index], .. _beforeCollectCallbacks[(index + 1)..]];
            }
        }
    }

    private sealed class Registration(CollectionCoordinator owner, Action callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(callback);
            }
        }
    }
}
