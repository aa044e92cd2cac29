using System.Text;

namespace Metrics;

/// <summary>
/// The labels of an exemplar: a reference from one measurement to something outside the metric, usually the trace
/// it was made in. Pass one to <see cref="Counter.Inc(long, in Exemplar)"/>,
/// <see cref="DoubleCounter.Inc(double, in Exemplar)"/> or <see cref="Histogram.Observe(double, in Exemplar)"/>.
/// </summary>
/// <remarks>
/// Construction validates the labels, so a measurement never has to: names follow the label-name rule, names are
/// distinct, and names plus values hold at most <see cref="MaxLabelSetLength"/> characters, OpenMetrics' limit.
/// The one- and two-label constructors and <see cref="ForTrace"/> allocate nothing; the span constructor copies
/// three or more labels into an array. <c>default</c> is the empty exemplar, which means "none".
/// </remarks>
public readonly struct Exemplar
{
    /// <summary>The most UTF-8 characters (code points) the names and values of an exemplar's labels may hold together.</summary>
    public const int MaxLabelSetLength = 128;

    /// <summary>The label name of the trace id: <c>trace_id</c>, as OpenTelemetry and Grafana expect.</summary>
    internal const string TraceIdLabel = "trace_id";

    /// <summary>The label name of the span id: <c>span_id</c>.</summary>
    internal const string SpanIdLabel = "span_id";

    private readonly string? _firstName;
    private readonly string? _firstValue;
    private readonly string? _secondName;
    private readonly string? _secondValue;
    private readonly KeyValuePair<string, string>[]? _labels;

    /// <summary>An exemplar with one label.</summary>
    /// <exception cref="ArgumentException">The name breaks the label-name rule, or the label exceeds <see cref="MaxLabelSetLength"/>.</exception>
    public Exemplar(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _firstName = name;
        _firstValue = value;
        Validate();
    }

    /// <summary>An exemplar with two labels.</summary>
    /// <exception cref="ArgumentException">A name breaks the label-name rule, the names are equal, or the labels exceed <see cref="MaxLabelSetLength"/>.</exception>
    public Exemplar(string firstName, string firstValue, string secondName, string secondValue)
        : this(firstName, firstValue, secondName, secondValue, validate: true)
    {
    }

    /// <summary>An exemplar with any number of labels; three or more are copied into an array.</summary>
    /// <exception cref="ArgumentException">A name breaks the label-name rule, a name repeats, or the labels exceed <see cref="MaxLabelSetLength"/>.</exception>
    public Exemplar(ReadOnlySpan<KeyValuePair<string, string>> labels)
    {
        foreach (var (name, value) in labels)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(labels));
            ArgumentNullException.ThrowIfNull(value, nameof(labels));
        }

        if (labels.Length > 2)
        {
            _labels = labels.ToArray();
        }
        else if (labels.Length > 0)
        {
            (_firstName, _firstValue) = labels[0];
            if (labels.Length == 2)
            {
                (_secondName, _secondValue) = labels[1];
            }
        }

        Validate();
    }

    private Exemplar(string firstName, string firstValue, string secondName, string secondValue, bool validate)
    {
        ArgumentNullException.ThrowIfNull(firstName);
        ArgumentNullException.ThrowIfNull(firstValue);
        ArgumentNullException.ThrowIfNull(secondName);
        ArgumentNullException.ThrowIfNull(secondValue);
        _firstName = firstName;
        _firstValue = firstValue;
        _secondName = secondName;
        _secondValue = secondValue;
        if (validate)
        {
            Validate();
        }
    }

    /// <summary>How many labels the exemplar has; zero for <c>default</c>.</summary>
    internal int Count => _labels?.Length ?? (_secondName is not null ? 2 : _firstName is not null ? 1 : 0);

    /// <summary>Whether this is the empty exemplar, which measurements treat as no exemplar at all.</summary>
    internal bool IsEmpty => Count == 0;

    /// <summary>The label at <paramref name="index"/>, in the order given.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    internal KeyValuePair<string, string> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            if (_labels is not null)
            {
                return _labels[index];
            }

            return index == 0 ? new(_firstName!, _firstValue!) : new(_secondName!, _secondValue!);
        }
    }

    /// <summary>The exemplar <c>{trace_id="…", span_id="…"}</c> for a trace from a tracer other than <see cref="System.Diagnostics.Activity"/>.</summary>
    /// <exception cref="ArgumentException">The ids are longer than the label-set limit allows.</exception>
    public static Exemplar ForTrace(string traceId, string spanId) => new(TraceIdLabel, traceId, SpanIdLabel, spanId);

    /// <summary>
    /// The trace exemplar of a W3C activity. Its ids are 32 and 16 hex digits, so the label set is always 63
    /// characters long and needs no check; the id strings are the activity's own, so this allocates nothing.
    /// </summary>
    internal static Exemplar ForActivityIds(string traceId, string spanId) => new(TraceIdLabel, traceId, SpanIdLabel, spanId, validate: false);

    private void Validate()
    {
        var length = 0;
        for (var i = 0; i < Count; i++)
        {
            var (name, value) = this[i];
            MetricNames.ValidateLabelName(name, "labels");
            for (var earlier = 0; earlier < i; earlier++)
            {
                if (this[earlier].Key == name)
                {
                    throw new ArgumentException($"Invalid exemplar: the label name '{name}' appears more than once; label names must be distinct.", "labels");
                }
            }

            length += CodePoints(name) + CodePoints(value);
        }

        if (length > MaxLabelSetLength)
        {
            throw new ArgumentException(
                $"Invalid exemplar {Describe()}: its label names and values hold {length} characters, and OpenMetrics allows at most {MaxLabelSetLength} UTF-8 characters in an exemplar's labels.",
                "labels");
        }
    }

    private string Describe()
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(this[i].Key).Append("=\"").Append(this[i].Value).Append('"');
        }

        return text.Append('}').ToString();
    }

    // OpenMetrics counts code points, so a character outside the Basic Multilingual Plane (two UTF-16 units) counts once.
    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
