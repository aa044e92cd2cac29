using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// The query of the history and live endpoints. <c>family</c>, repeatable, selects a family by its exposed name:
/// <c>name</c> for each series, <c>name[label,…]</c> to sum the series by those labels, <c>name[]</c> to sum them all;
/// none selects every family. <c>window</c> is how far back to read: seconds (<c>90</c>) or a number with <c>s</c>,
/// <c>m</c> or <c>h</c> (<c>5m</c>); none reads every point held.
/// </summary>
internal sealed class HistoryQuery
{
    private HistoryQuery(string[] selectorTexts, HistorySelector[] selectors, TimeSpan? window)
    {
        SelectorTexts = selectorTexts;
        Selectors = selectors;
        Window = window;
    }

    /// <summary>The <c>family</c> parameters as given, or every family's name.</summary>
    public string[] SelectorTexts { get; }

    public HistorySelector[] Selectors { get; }

    public TimeSpan? Window { get; }

    /// <summary>A key that is equal for queries that select the same families the same way.</summary>
    public string SelectorKey => string.Join('\n', SelectorTexts);

    /// <summary>Parses the query; families and labels are checked against the registry when the history reads them.</summary>
    public static HistoryQuery? Parse(IQueryCollection query, MetricRegistry registry, out HistoryError? error)
    {
        error = null;
        TimeSpan? window = null;
        var windowText = query["window"].ToString();
        if (windowText.Length > 0)
        {
            window = ParseWindow(windowText);
            if (window is null)
            {
                error = Error($"Invalid window '{windowText}': give a positive number of seconds, or a number followed by s, m or h, such as 90, 30s, 5m or 1h.");
                return null;
            }
        }

        var families = query["family"];
        // One read of the registry's families: registrations and removals replace the list between reads.
        var registered = registry.Families;
        var texts = new string[families.Count == 0 ? registered.Count : families.Count];
        var selectors = new HistorySelector[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = families.Count == 0 ? registered[i].Name : families[i] ?? "";
            if (ParseSelector(texts[i]) is not { } selector)
            {
                error = Error($"Invalid family '{texts[i]}': give a family name, optionally followed by the labels to sum by in brackets, such as llm_tokens_total or llm_tokens_total[provider].");
                return null;
            }

            selectors[i] = selector;
        }

        return new HistoryQuery(texts, selectors, window);
    }

    public static HistoryError Error(string message) => new() { Error = "invalid_query", Message = message };

    /// <summary>The error for a family or label the history rejected, without the parameter name .NET appends to the message.</summary>
    public static HistoryError Error(ArgumentException exception)
    {
        var suffix = $" (Parameter '{exception.ParamName}')";
        var message = exception.Message;
        return Error(message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message);
    }

    private static HistorySelector? ParseSelector(string text)
    {
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return text.Length > 0 ? new HistorySelector(text) : null;
        }

        if (open == 0 || !text.EndsWith(']'))
        {
            return null;
        }

        var labels = text[(open + 1)..^1];
        string[] by = labels.Length == 0 ? [] : labels.Split(',', StringSplitOptions.TrimEntries);
        return Array.IndexOf(by, "") >= 0 ? null : new HistorySelector(text[..open], by);
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
