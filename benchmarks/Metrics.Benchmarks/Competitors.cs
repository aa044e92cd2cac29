using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Otel = System.Diagnostics.Metrics;
using Prom = Prometheus;

namespace Metrics.Benchmarks;

/// <summary>
/// The other libraries, set up the way their documentation recommends for a hot path: prometheus-net with a private
/// registry, and System.Diagnostics.Metrics instruments aggregated by the OpenTelemetry SDK into a manual reader.
/// </summary>
internal sealed class Competitors : IDisposable
{
    private readonly MeterProvider _provider;

    /// <param name="histogramBounds">Explicit bucket bounds for every OpenTelemetry histogram, or null for its defaults.</param>
    /// <param name="exponentialHistograms">Aggregate every OpenTelemetry histogram into base-2 exponential buckets
    /// (<see cref="Base2ExponentialBucketHistogramConfiguration"/>, its defaults: 160 buckets, scale up to 20).</param>
    public Competitors(double[]? histogramBounds = null, bool exponentialHistograms = false)
    {
        PrometheusRegistry = Prom.Metrics.NewCustomRegistry();
        PrometheusFactory = Prom.Metrics.WithCustomRegistry(PrometheusRegistry);
        Meter = new Otel.Meter("Metrics.Benchmarks");
        var builder = Sdk.CreateMeterProviderBuilder()
            .AddMeter(Meter.Name)
            .AddReader(new BaseExportingMetricReader(new InMemoryExporter<Metric>(new List<Metric>())));
        if (histogramBounds is not null)
        {
            builder.AddView(instrument => instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal)
                ? new ExplicitBucketHistogramConfiguration { Boundaries = histogramBounds }
                : null);
        }

        if (exponentialHistograms)
        {
            builder.AddView(instrument => instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal)
                ? new Base2ExponentialBucketHistogramConfiguration()
                : null);
        }

        _provider = builder.Build()!;
    }

    public Prom.CollectorRegistry PrometheusRegistry { get; }

    public Prom.IMetricFactory PrometheusFactory { get; }

    public Otel.Meter Meter { get; }

    public void Dispose()
    {
        _provider.Dispose();
        Meter.Dispose();
    }
}
