using System.Globalization;

namespace Metrics;

/// <summary>The validated, immutable form of <see cref="SummaryOptions"/>: objectives sorted by quantile.</summary>
internal sealed class SummaryLayout
{
    private SummaryLayout(double[] quantiles, double[] errors, TimeSpan maxAge, int ageBuckets)
    {
        Quantiles = quantiles;
        Errors = errors;
        MaxAge = maxAge;
        AgeBuckets = ageBuckets;
    }

    /// <summary>The quantiles to estimate, in increasing order.</summary>
    public double[] Quantiles { get; }

    /// <summary>The allowed rank error of each quantile, in the same order.</summary>
    public double[] Errors { get; }

    public TimeSpan MaxAge { get; }

    public int AgeBuckets { get; }

    /// <summary>Checks <paramref name="options"/> (null means the defaults, with no objectives) and returns a private copy.</summary>
    public static SummaryLayout Create(SummaryOptions? options, string parameterName)
    {
        options ??= new SummaryOptions();
        var objectives = options.Objectives ?? new Dictionary<double, double>();
        var quantiles = new double[objectives.Count];
        var errors = new double[objectives.Count];
        var index = 0;
        foreach (var (quantile, error) in objectives)
        {
            if (!(quantile > 0 && quantile < 1))
            {
                throw new ArgumentException(
                    $"Invalid summary objective {Format(quantile)}: a quantile must lie strictly between 0 and 1.", parameterName);
            }

            if (!(error > 0 && error < 1))
            {
                throw new ArgumentException(
                    $"Invalid error {Format(error)} for summary objective {Format(quantile)}: the allowed rank error must lie strictly between 0 and 1.",
                    parameterName);
            }

            quantiles[index] = quantile;
            errors[index] = error;
            index++;
        }

        Array.Sort(quantiles, errors);
        if (options.MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Invalid summary window {options.MaxAge}: MaxAge must be positive.", parameterName);
        }

        if (options.AgeBuckets < 1)
        {
            throw new ArgumentException($"Invalid summary age bucket count {options.AgeBuckets}: AgeBuckets must be at least 1.", parameterName);
        }

        return new SummaryLayout(quantiles, errors, options.MaxAge, options.AgeBuckets);
    }

    /// <summary>Whether <paramref name="other"/> has the same objectives and window.</summary>
    public bool SameAs(SummaryLayout other) =>
        Quantiles.AsSpan().SequenceEqual(other.Quantiles)
        && Errors.AsSpan().SequenceEqual(other.Errors)
        && MaxAge == other.MaxAge
        && AgeBuckets == other.AgeBuckets;

    /// <summary>The layout as a user wrote it, for conflict messages: <c>{0.5: 0.05, 0.9: 0.01} over 00:10:00 in 5 age buckets</c>.</summary>
    public override string ToString()
    {
        var objectives = new string[Quantiles.Length];
        for (var i = 0; i < objectives.Length; i++)
        {
            objectives[i] = $"{Format(Quantiles[i])}: {Format(Errors[i])}";
        }

        return $"{{{string.Join(", ", objectives)}}} over {MaxAge.ToString("c", CultureInfo.InvariantCulture)} in {AgeBuckets} age buckets";
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
