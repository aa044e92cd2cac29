using System.Collections.Concurrent;

namespace Metrics;

/// <summary>
/// The naming rules of the Prometheus data model, and a cached sanitizer that turns arbitrary
/// text into a valid name.
/// </summary>
/// <remarks>
/// Metric names match <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; label names match <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.
/// Names that start with <c>__</c> are reserved for Prometheus itself and are rejected for both.
/// </remarks>
public static class MetricNames
{
    /// <summary>The rule metric names must follow, quoted in validation errors.</summary>
    internal const string MetricNameRule = "metric names must match [a-zA-Z_:][a-zA-Z0-9_:]* and must not start with '__'";

    /// <summary>The rule label names must follow, quoted in validation errors.</summary>
    internal const string LabelNameRule = "label names must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with '__'";

    private const string CounterSuffix = "_total";

    // Bounded so that sanitizing attacker-chosen text (model names from requests) cannot grow memory without limit.
    private const int SanitizeCacheLimit = 4096;
    private static readonly ConcurrentDictionary<string, string> SanitizeCache = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is a valid metric name.</summary>
    public static bool IsValidMetricName(string? name)
    {
        if (string.IsNullOrEmpty(name) || IsReserved(name))
        {
            return false;
        }

        if (!IsMetricNameStart(name[0]))
        {
            return false;
        }

        for (var i = 1; i < name.Length; i++)
        {
            if (!IsMetricNameStart(name[i]) && !IsAsciiDigit(name[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="name"/> is a valid label name.</summary>
    public static bool IsValidLabelName(string? name)
    {
        if (string.IsNullOrEmpty(name) || IsReserved(name))
        {
            return false;
        }

        if (!IsLabelNameStart(name[0]))
        {
            return false;
        }

        for (var i = 1; i < name.Length; i++)
        {
            if (!IsLabelNameStart(name[i]) && !IsAsciiDigit(name[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Turns arbitrary text, such as the model name <c>gpt-4o/mini:2024</c>, into a valid label name
    /// (which is also a valid metric name): <c>gpt_4o_mini_2024</c>.
    /// </summary>
    /// <remarks>
    /// Every character outside <c>[a-zA-Z0-9_]</c> becomes <c>_</c>; a leading digit gets a <c>_</c> prefix;
    /// a reserved leading <c>__</c> is folded to one <c>_</c>; empty text becomes <c>_</c>.
    /// Results are cached, up to a bounded number of distinct inputs. Label <em>values</em> never need this:
    /// they are free text and are only escaped.
    /// </remarks>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SanitizeCache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var sanitized = SanitizeUncached(text);
        if (SanitizeCache.Count < SanitizeCacheLimit)
        {
            SanitizeCache.TryAdd(text, sanitized);
        }

        return sanitized;
    }

    internal static void ValidateMetricName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (!IsValidMetricName(name))
        {
            throw new ArgumentException($"Invalid metric name '{name}': {MetricNameRule}.", parameterName);
        }
    }

    /// <summary>
    /// The name of a counter family registered as <paramref name="name"/>: <c>_total</c> is appended when missing.
    /// The caller's name is checked first: otherwise "" would pass as "_total", and errors would quote a name the
    /// caller never wrote.
    /// </summary>
    internal static string CounterName(string name, string parameterName)
    {
        ValidateMetricName(name, parameterName);
        return name.EndsWith(CounterSuffix, StringComparison.Ordinal) ? name : name + CounterSuffix;
    }

    /// <summary>A counter family's name without its <c>_total</c>: its OpenMetrics family name.</summary>
    internal static string WithoutCounterSuffix(string counterName) => counterName[..^CounterSuffix.Length];

    internal static void ValidateLabelName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (!IsValidLabelName(name))
        {
            throw new ArgumentException($"Invalid label name '{name}': {LabelNameRule}.", parameterName);
        }
    }

    private static string SanitizeUncached(string text)
    {
        if (text.Length == 0)
        {
            return "_";
        }

        var needsPrefix = IsAsciiDigit(text[0]);
        var result = string.Create(text.Length + (needsPrefix ? 1 : 0), (text, needsPrefix), static (span, state) =>
        {
            var offset = 0;
            if (state.needsPrefix)
            {
                span[0] = '_';
                offset = 1;
            }

            for (var i = 0; i < state.text.Length; i++)
            {
                var c = state.text[i];
                span[i + offset] = IsLabelNameStart(c) || IsAsciiDigit(c) ? c : '_';
            }
        });

        // "__" is reserved for Prometheus itself, so a sanitized name never starts with it.
        return IsReserved(result) ? "_" + result.TrimStart('_') : result;
    }

    private static bool IsReserved(string name) => name.StartsWith("__", StringComparison.Ordinal);

    private static bool IsLabelNameStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsMetricNameStart(char c) => IsLabelNameStart(c) || c == ':';

    private static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';
}
