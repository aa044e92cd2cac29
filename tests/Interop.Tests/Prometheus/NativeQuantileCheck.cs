using System.Globalization;
using Metrics;

namespace Interop.Tests.Prometheus;

/// <summary>Prometheus's quantiles of a native histogram against our own estimate from the same observations.</summary>
internal static class NativeQuantileCheck
{
    /// <summary>
    /// Asserts that <c>histogram_quantile(0.5 and 0.99, selector)</c> on <paramref name="prometheus"/> equals
    /// <see cref="NativeHistogramQuantile"/>'s estimate from <paramref name="reference"/>, within schema 3's relative
    /// error: neighbouring bucket bounds are 2^(1/8) apart, so an estimate inside the right bucket is within that factor.
    /// </summary>
    public static async Task ShouldMatchOursAsync(PrometheusServer prometheus, string selector, NativeHistogramState reference)
    {
        var snapshot = new NativeHistogramSnapshot();
        reference.CaptureInto(snapshot);
        var relativeError = Math.Pow(2, 1.0 / 8) - 1;
        foreach (var q in new[] { 0.5, 0.99 })
        {
            var ours = NativeHistogramQuantile.Estimate(q, snapshot);
            var theirs = await prometheus.ScalarAsync($"histogram_quantile({q.ToString(CultureInfo.InvariantCulture)}, {selector})");
            TestContext.Out.WriteLine($"q={q}: Prometheus {theirs}, ours {ours}");
            theirs.ShouldBe(ours, ours * relativeError, $"histogram_quantile({q}, {selector})");
        }
    }
}
