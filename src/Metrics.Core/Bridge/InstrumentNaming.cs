using System.Text;

namespace Metrics.Bridge;

/// <summary>
/// Turns an instrument's name and UCUM unit into a Prometheus family name and OpenMetrics unit, after OpenTelemetry's
/// "Prometheus and OpenMetrics compatibility" rules: characters outside the name alphabet become <c>_</c> and runs of
/// <c>_</c> fold into one; the unit becomes a suffix unless the name already ends with it (<c>s</c> → <c>seconds</c>,
/// <c>By</c> → <c>bytes</c>, <c>By/s</c> → <c>bytes_per_second</c>); annotations in braces, such as <c>{request}</c>,
/// are dropped; the unit <c>1</c> becomes <c>ratio</c> on gauges and nothing elsewhere; counters end in <c>_total</c>.
/// One rule of our own: a gauge whose name would end in <c>_count</c>, <c>_sum</c>, <c>_bucket</c> or <c>_total</c>,
/// such as the runtime's <c>dotnet.assembly.count</c>, gets <c>_current</c> appended, because those suffixes belong to
/// histogram, summary and counter samples: promtool rejects them on gauges, and a histogram or counter of the shorter
/// name would clash with them.
/// </summary>
internal static class InstrumentNaming
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["TiBy"] = "tibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    /// <summary>
    /// The family name (with <c>_total</c> for counters) and the OpenMetrics unit (empty for none) of an instrument
    /// of <paramref name="type"/>.
    /// </summary>
    public static (string Name, string Unit) Convert(string instrumentName, string? unit, MetricType type)
    {
        var name = Collapse(MetricNames.Sanitize(instrumentName));
        if (type == MetricType.Counter && name.EndsWith("_total", StringComparison.Ordinal) && name.Length > "_total".Length)
        {
            name = name[..^"_total".Length];
        }

        var suffix = UnitSuffix(unit, type);
        if (suffix.Length > 0 && name != suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name = name + "_" + suffix;
        }

        var familyUnit = suffix.Length > 0 && name.EndsWith("_" + suffix, StringComparison.Ordinal) ? suffix : "";
        if (type == MetricType.Gauge && HasSampleSuffix(name))
        {
            return (name + "_current", "");
        }

        return (type == MetricType.Counter ? name + "_total" : name, familyUnit);
    }

    /// <summary>The name word of a UCUM unit: <c>s</c> → <c>seconds</c>, <c>{request}</c> → empty.</summary>
    public static string UnitSuffix(string? unit, MetricType type)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }

        var plain = WithoutAnnotations(unit).Trim();
        if (plain == "1")
        {
            return type == MetricType.Gauge ? "ratio" : "";
        }

        var slash = plain.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Word(plain, Units);
        }

        var per = Word(plain[(slash + 1)..], PerUnits);
        var of = Word(plain[..slash], Units);
        return per.Length == 0 ? of : of.Length == 0 ? "per_" + per : of + "_per_" + per;
    }

    private static bool HasSampleSuffix(string name) =>
        name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_sum", StringComparison.Ordinal)
        || name.EndsWith("_bucket", StringComparison.Ordinal) || name.EndsWith("_total", StringComparison.Ordinal);

    private static string Word(string unit, Dictionary<string, string> table)
    {
        if (unit.Length == 0)
        {
            return "";
        }

        return table.TryGetValue(unit, out var word) ? word : Collapse(MetricNames.Sanitize(unit)).Trim('_');
    }

    private static string WithoutAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var plain = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                plain.Append(c);
            }
        }

        return plain.ToString();
    }

    // OpenTelemetry folds runs of '_', which sanitizing "a.-b" or "a__b" would otherwise leave.
    private static string Collapse(string name)
    {
        if (!name.Contains("__", StringComparison.Ordinal))
        {
            return name;
        }

        var folded = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c != '_' || folded.Length == 0 || folded[^1] != '_')
            {
                folded.Append(c);
            }
        }

        return folded.ToString();
    }
}
