namespace Metrics.Bridge;

/// <summary>
/// Maps the tags of a measurement onto a bridged family's labels. The label names are the tag keys declared for the
/// instrument (<see cref="MeterBridgeOptions.InstrumentTags"/>) and those of its first measurement, sanitized and
/// sorted; a measurement may carry its tags in any order, lack some (their labels are empty) or carry others (they are
/// left off and counted).
/// </summary>
internal sealed class TagLayout
{
    // Parallel arrays: every declared tag key and every tag key of the first measurement, and the label each one fills. Two keys that sanitize to
    // the same label name fill the same label; the later tag in a measurement wins.
    private readonly string[] _keys;
    private readonly int[] _slots;

    private TagLayout(string[] keys, int[] slots, string[] labelNames)
    {
        _keys = keys;
        _slots = slots;
        LabelNames = labelNames;
    }

    public string[] LabelNames { get; }

    /// <summary>
    /// The layout of the <paramref name="declared"/> tag keys and those in <paramref name="tags"/>. In histograms, a tag
    /// that sanitizes to the reserved <c>le</c> becomes the label <c>tag_le</c>.
    /// </summary>
    public static TagLayout Create(string[] declared, ReadOnlySpan<KeyValuePair<string, object?>> tags, MetricType type)
    {
        var keys = new List<string>(declared.Length + tags.Length);
        var labels = new List<string>(declared.Length + tags.Length);
        foreach (var key in declared)
        {
            Add(key);
        }

        foreach (var tag in tags)
        {
            Add(tag.Key);
        }

        labels.Sort(StringComparer.Ordinal);
        var slots = new int[keys.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = labels.IndexOf(LabelName(keys[i], type));
        }

        return new TagLayout([.. keys], slots, [.. labels]);

        void Add(string? key)
        {
            if (key is null || keys.Contains(key))
            {
                return;
            }

            keys.Add(key);
            var label = LabelName(key, type);
            if (!labels.Contains(label))
            {
                labels.Add(label);
            }
        }
    }

    /// <summary>
    /// The series of <paramref name="family"/> for <paramref name="tags"/>; <paramref name="hasUnknownTag"/> says
    /// whether a tag was left off because the layout lacks its key.
    /// </summary>
    // Hot path behind TagSeriesCache: no lock; no allocation for up to TagValueBuffer.Length labels once the series
    // exists; must never throw.
    public TSeries Find<TSeries>(MetricFamily<TSeries> family, ReadOnlySpan<KeyValuePair<string, object?>> tags, out bool hasUnknownTag)
        where TSeries : MetricSeries
    {
        var buffer = default(TagValueBuffer);
        var count = LabelNames.Length;
        var values = count <= TagValueBuffer.Length ? ((Span<string>)buffer)[..count] : new string[count];
        values.Fill("");
        hasUnknownTag = false;
        for (var i = 0; i < tags.Length; i++)
        {
            var slot = SlotOf(tags[i].Key);
            if (slot < 0)
            {
                hasUnknownTag = true;
                continue;
            }

            values[slot] = TagValueText.Format(tags[i].Value);
        }

        return family.WithLabels(values);
    }

    // Runs only when the instrument's tag cache misses, so a scan of a handful of keys is enough.
    private int SlotOf(string key)
    {
        var keys = _keys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                return _slots[i];
            }
        }

        return -1;
    }

    private static string LabelName(string key, MetricType type)
    {
        var label = MetricNames.Sanitize(key);
        return type == MetricType.Histogram && label == "le" ? "tag_le" : label;
    }
}
