using System.Collections.ObjectModel;

namespace Metrics;

/// <summary>Bucket layouts for histograms. Every layout lists finite upper bounds; <c>+Inf</c> is always implicit.</summary>
public static class HistogramBuckets
{
    /// <summary>The Prometheus client default: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 and 10 (seconds).</summary>
    public static IReadOnlyList<double> Default { get; } =
        new ReadOnlyCollection<double>([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

    /// <summary><paramref name="count"/> bounds: <paramref name="start"/>, then each <paramref name="width"/> more than the last.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below one, the width is not positive, or a value is not finite.</exception>
    public static double[] Linear(double start, double width, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!double.IsFinite(start))
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "The first bound must be finite.");
        }

        if (!double.IsFinite(width) || width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be finite and positive.");
        }

        var bounds = new double[count];
        for (var i = 0; i < count; i++)
        {
            bounds[i] = start + (i * width);
        }

        return bounds;
    }

    /// <summary><paramref name="count"/> bounds: <paramref name="start"/>, then each <paramref name="factor"/> times the last.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below one, the start is not positive, or the factor is not above one.</exception>
    public static double[] Exponential(double start, double factor, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!double.IsFinite(start) || start <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "The first bound must be finite and positive.");
        }

        if (!double.IsFinite(factor) || factor <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be finite and greater than one.");
        }

        var bounds = new double[count];
        for (var i = 0; i < count; i++)
        {
            bounds[i] = start * Math.Pow(factor, i);
            if (!double.IsFinite(bounds[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, $"Bound {i} overflows to infinity.");
            }
        }

        return bounds;
    }

    /// <summary>Checks a layout and returns a private copy; a trailing <c>+Inf</c> is accepted and dropped.</summary>
    internal static double[] Validate(IReadOnlyList<double> bounds, string parameterName)
    {
        var count = bounds.Count;
        if (count > 0 && double.IsPositiveInfinity(bounds[count - 1]))
        {
            count--;
        }

        if (count == 0)
        {
            throw new ArgumentException("A histogram needs at least one finite bucket bound; +Inf is implicit.", parameterName);
        }

        var copy = new double[count];
        for (var i = 0; i < count; i++)
        {
            var bound = bounds[i];
            if (!double.IsFinite(bound))
            {
                throw new ArgumentException($"Bucket bound {bound} at index {i} is not finite; bounds must be finite, and +Inf is implicit.", parameterName);
            }

            if (i > 0 && bound <= copy[i - 1])
            {
                throw new ArgumentException($"Bucket bound {bound} at index {i} does not exceed the previous bound {copy[i - 1]}; bounds must be strictly increasing.", parameterName);
            }

            copy[i] = bound;
        }

        return copy;
    }
}
