using System.Runtime.InteropServices;

namespace Metrics;

/// <summary>
/// Turns the raw cumulative values of a family's tracks into rates, gauge values, windowed quantiles and averages over
/// a range of points, summing tracks into groups first when the selector asks for it.
/// </summary>
internal static class FamilyHistoryBuilder
{
    public static FamilyHistory Build(MetricFamily family, FamilyTrack? track, IReadOnlyList<string>? by, HistoryRange range, double[] quantiles)
    {
        var labelIndexes = by is null ? null : LabelIndexes(family, by);
        var bucketCount = track?.BucketCount ?? 0;
        var hasSums = family.Type is MetricType.Histogram or MetricType.Summary;
        var native = track?.NativeMaxBuckets > 0;
        var groups = new List<SeriesGroup>();
        var groupsByKey = new Dictionary<string, SeriesGroup>(StringComparer.Ordinal);
        foreach (var series in track?.Series ?? [])
        {
            if (!IsPresentIn(series, range))
            {
                continue;
            }

            var group = labelIndexes is null
                ? Add(groups, new SeriesGroup(series.Series.LabelValueArray, range.Count, bucketCount, hasSums, native))
                : GroupFor(groups, groupsByKey, series.Series.LabelValueArray, labelIndexes, range.Count, bucketCount, hasSums, native);
            if (family.Type == MetricType.Gauge)
            {
                AddValues(series, group, range);
            }
            else
            {
                AddIncreases(series, group, range);
            }
        }

        var result = new SeriesHistory[groups.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Finish(family.Type, groups[i], track?.UpperBounds, range, quantiles);
        }

        return new FamilyHistory(family.Name, family.Type, by ?? family.LabelNames, by, result);
    }

    private static int[] LabelIndexes(MetricFamily family, IReadOnlyList<string> by)
    {
        var indexes = new int[by.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = family.LabelNameArray.AsSpan().IndexOf(by[i]);
            if (indexes[i] < 0)
            {
                throw new ArgumentException(
                    $"Metric '{family.Name}' has no label '{by[i]}' to sum by; its labels are [{string.Join(", ", family.LabelNames)}].", nameof(by));
            }
        }

        return indexes;
    }

    private static bool IsPresentIn(SeriesTrack series, HistoryRange range) =>
        series.LastSequence >= range.First && series.FirstSequence <= range.Last;

    private static SeriesGroup Add(List<SeriesGroup> groups, SeriesGroup group)
    {
        groups.Add(group);
        return group;
    }

    private static SeriesGroup GroupFor(
        List<SeriesGroup> groups, Dictionary<string, SeriesGroup> groupsByKey, string[] labelValues, int[] labelIndexes, int points, int bucketCount, bool hasSums,
        bool native)
    {
        var values = new string[labelIndexes.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = labelValues[labelIndexes[i]];
        }

        var key = GroupKey(values);
        if (!groupsByKey.TryGetValue(key, out var group))
        {
            group = Add(groups, new SeriesGroup(values, points, bucketCount, hasSums, native));
            groupsByKey.Add(key, group);
        }

        return group;
    }

    // Length-prefixed, so that no two different lists of values make the same key.
    private static string GroupKey(string[] values)
    {
        var key = new System.Text.StringBuilder();
        foreach (var value in values)
        {
            key.Append(value.Length).Append(':').Append(value);
        }

        return key.ToString();
    }

    private static void AddValues(SeriesTrack series, SeriesGroup group, HistoryRange range)
    {
        for (var sequence = range.First; sequence <= range.Last; sequence++)
        {
            var value = series.Values[range.Slot(sequence)];
            if (!double.IsNaN(value))
            {
                group.AddTotal((int)(sequence - range.First), value);
            }
        }
    }

    private static void AddIncreases(SeriesTrack series, SeriesGroup group, HistoryRange range)
    {
        for (var sequence = range.First; sequence <= range.Last; sequence++)
        {
            var slot = range.Slot(sequence);
            var current = series.Values[slot];
            if (double.IsNaN(current) || !range.HasPrevious(sequence))
            {
                continue;
            }

            var previousSlot = range.Slot(sequence - 1);
            var previous = series.Values[previousSlot];
            bool fromZero;
            if (!double.IsNaN(previous))
            {
                // A drop means the source restarted: like PromQL's rate, the increase is then the new value.
                fromZero = current < previous;
            }
            else if (series.CountsFromZero && series.CreatedTicks >= range.TicksAt(sequence - 1))
            {
                fromZero = true;
            }
            else
            {
                continue;
            }

            var point = (int)(sequence - range.First);
            if (series.Native is { } native)
            {
                fromZero = AddNativeIncrease(series, native, slot, previousSlot, fromZero, group.NativeIncreases![point]);
            }

            group.AddTotal(point, fromZero ? current : current - previous);
            if (group.Sums is { } sums)
            {
                sums[point] += fromZero ? series.Sums![slot] : series.Sums![slot] - series.Sums[previousSlot];
            }

            if (group.Buckets is { } buckets)
            {
                AddBucketIncreases(series, slot, previousSlot, fromZero, buckets.AsSpan(point * series.BucketCount, series.BucketCount));
            }
        }
    }

    /// <summary>
    /// Adds the native histogram of the observations between the two slots to <paramref name="increases"/>, and
    /// returns whether the series restarted in between, which the native buckets tell better than the count.
    /// </summary>
    private static bool AddNativeIncrease(SeriesTrack series, NativeHistogramTrack native, int slot, int previousSlot, bool fromZero, List<NativeHistogramSnapshot> increases)
    {
        var count = (long)series.Values[slot];
        var sum = series.Sums![slot];
        var increase = fromZero
            ? null
            : native.Increase(slot, previousSlot, count - (long)series.Values[previousSlot], sum - series.Sums[previousSlot]);
        increases.Add(increase ?? native.At(slot, count, sum));
        return increase is null;
    }

    private static void AddBucketIncreases(SeriesTrack series, int slot, int previousSlot, bool fromZero, Span<long> increases)
    {
        var current = series.BucketsAt(slot);
        var previous = series.BucketsAt(previousSlot);
        for (var bucket = 0; bucket < increases.Length; bucket++)
        {
            increases[bucket] += fromZero ? current[bucket] : current[bucket] - previous[bucket];
        }
    }

    private static SeriesHistory Finish(MetricType type, SeriesGroup group, double[]? upperBounds, HistoryRange range, double[] quantiles)
    {
        if (type == MetricType.Gauge)
        {
            return new SeriesHistory(group.LabelValues) { Values = group.Totals };
        }

        var rates = new double[range.Count];
        var increase = 0.0;
        for (var point = 0; point < rates.Length; point++)
        {
            var total = group.Totals[point];
            rates[point] = total / range.SecondsSincePrevious(range.First + point);
            increase += double.IsNaN(total) ? 0 : total;
        }

        if (type == MetricType.Counter)
        {
            return new SeriesHistory(group.LabelValues) { Rates = rates, Increase = increase };
        }

        var averages = new double[range.Count];
        for (var point = 0; point < averages.Length; point++)
        {
            averages[point] = group.Totals[point] > 0 ? group.Sums![point] / group.Totals[point] : double.NaN;
        }

        var estimates = group.NativeIncreases is { } nativeIncreases
            ? NativeQuantiles(nativeIncreases, quantiles)
            : upperBounds is null ? null : ClassicQuantiles(group, upperBounds, quantiles);
        return new SeriesHistory(group.LabelValues)
        {
            Rates = rates,
            Increase = increase,
            Averages = averages,
            Quantiles = estimates,
        };
    }

    private static double[][] ClassicQuantiles(SeriesGroup group, double[] upperBounds, double[] quantiles)
    {
        var estimates = NewEstimates(quantiles.Length, group.Totals.Length);
        for (var point = 0; point < group.Totals.Length; point++)
        {
            if (group.Totals[point] > 0)
            {
                var buckets = group.Buckets.AsSpan(point * upperBounds.Length, upperBounds.Length);
                for (var q = 0; q < quantiles.Length; q++)
                {
                    estimates[q][point] = HistogramSnapshot.QuantileOf(quantiles[q], upperBounds, buckets);
                }
            }
        }

        return estimates;
    }

    /// <summary>Quantiles of each point's native increases, added up as PromQL's <c>sum</c> adds native histograms.</summary>
    private static double[][] NativeQuantiles(List<NativeHistogramSnapshot>[] increases, double[] quantiles)
    {
        var estimates = NewEstimates(quantiles.Length, increases.Length);
        var sum = new NativeHistogramSnapshot();
        for (var point = 0; point < increases.Length; point++)
        {
            var parts = increases[point];
            if (parts.Count == 0)
            {
                continue;
            }

            // A single series is its own sum: no merge to pay for on every point of an ungrouped read.
            if (parts.Count > 1)
            {
                NativeHistogramSum.Of(CollectionsMarshal.AsSpan(parts), sum);
            }

            var total = parts.Count == 1 ? parts[0] : sum;

            for (var q = 0; q < quantiles.Length && total.Count > 0; q++)
            {
                estimates[q][point] = NativeHistogramQuantile.Estimate(quantiles[q], total);
            }
        }

        return estimates;
    }

    /// <summary>One NaN-filled list of estimates per quantile, so a point without observations stays NaN.</summary>
    private static double[][] NewEstimates(int quantileCount, int points)
    {
        var estimates = new double[quantileCount][];
        for (var q = 0; q < estimates.Length; q++)
        {
            estimates[q] = new double[points];
            Array.Fill(estimates[q], double.NaN);
        }

        return estimates;
    }
}
