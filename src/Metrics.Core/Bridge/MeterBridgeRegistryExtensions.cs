using Metrics.Bridge;

namespace Metrics;

/// <summary>Adds the <see cref="System.Diagnostics.Metrics"/> bridge to a registry.</summary>
public static class MeterBridgeRegistryExtensions
{
    /// <summary>
    /// Starts a <see cref="System.Diagnostics.Metrics.MeterListener"/> that records the measurements of the selected
    /// meters' instruments into <paramref name="registry"/>, correctly typed: counters as counters, up-down counters
    /// and gauges as gauges, histograms as histograms, observable instruments read at each collection. Dispose the
    /// result to stop listening and remove every family the bridge registered.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A family is registered at an instrument's first measurement, named after the OpenTelemetry Prometheus
    /// conventions (<c>http.server.request.duration</c> in <c>s</c> becomes <c>http_server_request_duration_seconds</c>),
    /// with the description as help and that measurement's tag keys, sanitized and sorted, as label names. A later
    /// measurement without one of those tags records an empty label; a tag key outside them is left off the series, and
    /// the measurement is counted in <c>metrics_bridge_dropped_total{reason="unknown_tag"}</c>.
    /// </para>
    /// <para>
    /// An instrument whose name is already registered, by the application or by another instrument, is not bridged:
    /// each of its measurements counts in <c>metrics_bridge_dropped_total{reason="name_collision"}</c>. A negative
    /// or non-finite counter increment, or a non-finite up-down counter change, counts in
    /// <c>metrics_bridge_dropped_total{reason="invalid_value"}</c>. The bridge never throws from a measurement.
    /// </para>
    /// <para>Disabling an instrument, or disposing its meter, removes its family.</para>
    /// </remarks>
    /// <param name="registry">The registry to record into.</param>
    /// <param name="options">Which meters, and the settings of their families; null bridges no meter.</param>
    /// <returns>The running bridge; disposing it stops the listener and removes the bridged families.</returns>
    /// <exception cref="ArgumentException">A meter entry is empty or has a <c>*</c> other than at its end, or the buckets are invalid.</exception>
    public static IDisposable AddMeterBridge(this MetricRegistry registry, MeterBridgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return new MeterBridge(registry, options ?? new MeterBridgeOptions());
    }
}
