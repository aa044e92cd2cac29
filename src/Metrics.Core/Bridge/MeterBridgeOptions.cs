using System.Collections.ObjectModel;

namespace Metrics;

/// <summary>
/// Settings of the bridge that exposes <see cref="System.Diagnostics.Metrics"/> instruments through a
/// <see cref="MetricRegistry"/>; see <see cref="MeterBridgeRegistryExtensions.AddMeterBridge"/>. The bridge copies them
/// when it starts, so later changes do not affect a running bridge.
/// </summary>
public sealed class MeterBridgeOptions
{
    /// <summary>
    /// The OpenTelemetry SDK's default histogram bounds, used for histograms in units other than seconds that carry
    /// no advice when <see cref="HistogramBuckets"/> is null: 0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500,
    /// 5000, 7500 and 10000.
    /// </summary>
    public static IReadOnlyList<double> DefaultHistogramBuckets { get; } = new ReadOnlyCollection<double>(
        [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);

    /// <summary>
    /// The meters to bridge, by name, ignoring case. An entry is an exact meter name, or a prefix followed by
    /// <c>*</c>: <c>System.Net.*</c> takes <c>System.Net.Http</c> and <c>System.Net.NameResolution</c> (but not a meter
    /// named exactly <c>System.Net</c>), and <c>*</c> alone takes every meter. <c>*</c> is allowed only at the end.
    /// Starts empty: the application names what it wants, such as <c>System.Runtime</c> or its own meters (a web
    /// application's adapter picks its framework's meters itself).
    /// </summary>
#pragma warning disable CA2227 // Settable so that a whole selection can replace another.
    public IList<string> Meters { get; set; } = [];
#pragma warning restore CA2227

    /// <summary>
    /// Finite, strictly increasing bucket bounds for bridged histograms whose instrument gives no bucket advice
    /// (<c>InstrumentAdvice</c>, .NET 9 and later). Null, the default, takes <see cref="Metrics.HistogramBuckets.Default"/>
    /// (0.005 to 10) for histograms in seconds and <see cref="DefaultHistogramBuckets"/> for every other unit.
    /// </summary>
    public IReadOnlyList<double>? HistogramBuckets { get; set; }

    /// <summary>
    /// Settings to bridge every histogram as a native histogram (see <see cref="NativeHistogramOptions"/>), which
    /// needs no bucket layout: bucket advice and <see cref="HistogramBuckets"/> are then unused, and the histograms
    /// have classic buckets only if these settings give them. Null, the default, bridges histograms as classic ones.
    /// </summary>
    public NativeHistogramOptions? NativeHistograms { get; set; }

    /// <summary>
    /// Settings of every bridged family: its cardinality limit and series expiry apply as they do to any family.
    /// The unit is the bridge's to set, from the instrument's unit, so a unit given here is ignored. Null takes the
    /// registry's defaults.
    /// </summary>
    public FamilyOptions? FamilyOptions { get; set; }

    /// <summary>
    /// When set, meters that an <c>IMeterFactory</c> created are bridged only if this is their
    /// <see cref="System.Diagnostics.Metrics.Meter.Scope"/>, that is, only the application's own factory; meters
    /// without a scope, such as <c>System.Runtime</c>, are bridged either way. Null, the default, bridges matching meters
    /// whatever their scope. Several applications in one process, as in tests, each have their own factory and so
    /// their own <c>Microsoft.AspNetCore.Hosting</c> meter.
    /// </summary>
    public object? MeterScope { get; set; }

    /// <summary>
    /// The tag keys that the default meters' instruments carry on some measurements only, by instrument name: for
    /// <c>http.server.request.duration</c>, <c>http.route</c>, <c>error.type</c>, <c>http.response.status_code</c> and
    /// <c>aspnetcore.request.is_unhandled</c>; and likewise for Kestrel's connection and TLS handshake durations,
    /// <c>HttpClient</c>'s request durations, and ASP.NET Core's routing, exception and rate-limiting instruments.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> DefaultInstrumentTags => Bridge.KnownInstrumentTags.Table;

    /// <summary>
    /// Tag keys to give an instrument's family as labels besides those of its first measurement, by instrument name
    /// (ordinal). A bridged family's labels are fixed when its first measurement registers it, so a tag that only some
    /// measurements carry must be declared here to become a label; undeclared, it is left off those measurements
    /// (which are still recorded) and counted in <c>metrics_bridge_dropped_total{reason="unknown_tag"}</c>. A
    /// measurement without a declared tag has an empty label, which Prometheus reads as no label. Starts as a copy of
    /// <see cref="DefaultInstrumentTags"/>; add your own instruments' optional tags. Null declares none.
    /// </summary>
#pragma warning disable CA2227 // Settable so that a whole table can replace the defaults.
    public IDictionary<string, IReadOnlyList<string>>? InstrumentTags { get; set; } =
        new Dictionary<string, IReadOnlyList<string>>(Bridge.KnownInstrumentTags.Table, StringComparer.Ordinal);
#pragma warning restore CA2227
}
