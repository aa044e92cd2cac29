namespace Metrics;

/// <summary>
/// The latest reading of the process figures, refreshed once per collection and then read by one callback series
/// per figure, so that a scrape reads each operating-system source once.
/// </summary>
/// <remarks>
/// A figure that its source could not produce at the latest refresh is NaN; reading it throws, so its series is
/// left out of that scrape and counted in <c>metrics_scrape_errors_total</c>, while the other figures still render.
/// </remarks>
internal abstract class ProcessStatistics
{
    private static readonly int StatisticCount = Enum.GetValues<ProcessStatistic>().Length;

    private readonly double[] _values = new double[StatisticCount];

    /// <summary>Whether this source can produce <paramref name="statistic"/> at all on this machine.</summary>
    public abstract bool Offers(ProcessStatistic statistic);

    /// <summary>Reads the sources again; never throws, a failed source leaves its figures NaN.</summary>
    public abstract void Refresh();

    /// <summary>The figure from the latest refresh.</summary>
    /// <exception cref="InvalidOperationException">The latest refresh could not read it.</exception>
    public double Read(ProcessStatistic statistic)
    {
        var value = Volatile.Read(ref _values[(int)statistic]);
        return double.IsNaN(value)
            ? throw new InvalidOperationException($"The process figure {statistic} could not be read at this collection.")
            : value;
    }

    protected void Store(ProcessStatistic statistic, double value) => Volatile.Write(ref _values[(int)statistic], value);
}
