namespace Metrics;

/// <summary>
/// What registration and metadata need to know of a series class: its Prometheus type, the label it reserves, and
/// how messages name it. Each series class declares its own as a static <c>Kind</c>; families compare kinds by
/// reference, so the kind is part of a family's shape.
/// </summary>
internal sealed class SeriesKind(string description, MetricType type, string? reservedLabel = null, string? reservedFor = null)
{
    /// <summary>The kind in words, as conflict messages name it: "an integer counter", "a callback gauge", ….</summary>
    public string Description { get; } = description;

    public MetricType Type { get; } = type;

    /// <summary>The label name the kind's samples use themselves, such as <c>le</c>; null for none.</summary>
    public string? ReservedLabel { get; } = reservedLabel;

    /// <summary>What <see cref="ReservedLabel"/> holds, as validation errors say it.</summary>
    public string? ReservedFor { get; } = reservedFor;

    /// <summary>Whether the family's name ends in <c>_total</c>, which OpenMetrics' family name leaves off.</summary>
    public bool IsCounter => Type == MetricType.Counter;

    /// <summary>
    /// The sample names a family of this kind writes in any format, given its <paramref name="name"/> and its
    /// OpenMetrics <paramref name="baseName"/>; two families may never share one.
    /// </summary>
    public string[] SampleNames(string name, string baseName) => Type switch
    {
        MetricType.Counter => [baseName, name, baseName + "_created"],
        MetricType.Histogram => [name, name + "_bucket", name + "_count", name + "_sum", name + "_created"],
        MetricType.Summary => [name, name + "_count", name + "_sum", name + "_created"],
        _ => [name],
    };

    public override string ToString() => Description;
}
