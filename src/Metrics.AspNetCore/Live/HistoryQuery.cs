using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// The query of the history and live endpoints. <c>family</c>, repeatable, selects a family by its exposed name:
/// <c>name</c> for each series, <c>name[label,…]</c> to sum the series by those labels, <c>name[]</c> to sum them all;
/// none selects every family. <c>window</c> is how far back to read: seconds (<c>90</c>) or a number with <c>s</c>,
/// <c>m</c> or <c>h</c> (<c>5m</c>); none reads every point held.
/// </summary>
/// <remarks>
/// A client chooses the query, so its answer must cost no more than the distinct selections it names: selectors are
/// written canonically (labels trimmed, a repeated label once) and identical ones are merged, in the order of their
/// first appearance; more distinct selectors than the limit are refused.
/// </remarks>
internal sealed class HistoryQuery
{
    private HistoryQuery(string[] selectorTexts, HistorySelector[] selectors, TimeSpan? window)
    {
        SelectorTexts = selectorTexts;
        Selectors = selectors;
        Window = window;
        Key = string.Join('\n', selectorTexts);
    }

    /// <summary>The distinct <c>family</c> selectors, written canonically, or every family's name.</summary>
    public string[] SelectorTexts { get; }

    public HistorySelector[] Selectors { get; }

    public TimeSpan? Window { get; }

    /// <summary>Equal for queries that select the same families the same way, whatever their window.</summary>
    public string Key { get; }

    /// <summary>Parses the query; families and labels are checked against the registry when the history reads them.</summary>
    /// <returns>The query, or null with the 400 answer in <paramref name="error"/>.</returns>
    public static HistoryQuery? Parse(IQueryCollection query, MetricRegistry registry, int selectorLimit, out EndpointError? error)
    {
        error = null;
        TimeSpan? window = null;
        var windowText = query["window"].ToString();
        if (windowText.Length > 0)
        {
            window = ParseWindow(windowText);
            if (window is null)
            {
                error = Invalid($"Invalid window '{windowText}': give a positive number of seconds, or a number followed by s, m or h, such as 90, 30s, 5m or 1h.");
                return null;
            }
        }

        var families = query["family"];
        if (families.Count == 0)
        {
            // One read of the registry's families: registrations and removals replace the list between reads.
            var registered = registry.Families;
            var names = new string[registered.Count];
            var all = new HistorySelector[registered.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = registered[i].Name;
                all[i] = new HistorySelector(names[i]);
            }

            return new HistoryQuery(names, all, window);
        }

        var texts = new List<string>();
        var selectors = new List<HistorySelector>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            if (ParseSelector(family ?? "") is not var (text, selector))
            {
                error = Invalid($"Invalid family '{family}': give a family name, optionally followed by the labels to sum by in brackets, such as http_requests_total or http_requests_total[status].");
                return null;
            }

            if (!seen.Add(text))
            {
                continue;
            }

            if (texts.Count == selectorLimit)
            {
                error = new EndpointError
                {
                    Error = "too_many_selectors",
                    Message = $"The query names more than {selectorLimit} distinct families; ask for at most {selectorLimit} at once.",
                };
                return null;
            }

            texts.Add(text);
            selectors.Add(selector);
        }

        return new HistoryQuery([.. texts], [.. selectors], window);
    }

    public static EndpointError Invalid(string message) => new() { Error = "invalid_query", Message = message };

    /// <summary>The error for a family or label the history rejected, without the parameter name .NET appends to the message.</summary>
    public static EndpointError Invalid(ArgumentException exception)
    {
        var suffix = $" (Parameter '{exception.ParamName}')";
        var message = exception.Message;
        return Invalid(message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message);
    }

    private static (string Text, HistorySelector Selector)? ParseSelector(string text)
    {
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return text.Length > 0 ? (text, new HistorySelector(text)) : null;
        }

        if (open == 0 || !text.EndsWith(']'))
        {
            return null;
        }

        var name = text[..open];
        var labels = text[(open + 1)..^1];
        if (labels.Length == 0)
        {
            return (name + "[]", new HistorySelector(name, []));
        }

        var by = new List<string>();
        foreach (var label in labels.Split(',', StringSplitOptions.TrimEntries))
        {
            if (label.Length == 0)
            {
                return null;
            }

            if (!by.Contains(label))
            {
                by.Add(label);
            }
        }

        return ($"{name}[{string.Join(',', by)}]", new HistorySelector(name, by));
    }

    private static TimeSpan? ParseWindow(string text)
    {
        var multiplier = text[^1] switch
        {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3600.0,
            _ => 0.0,
        };
        var number = multiplier == 0 ? text : text[..^1];
        if (multiplier == 0)
        {
            multiplier = 1;
        }

        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && value * multiplier <= TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(value * multiplier)
            : null;
    }
}
