namespace Metrics.AspNetCore;

/// <summary>What the <c>route</c> label of the request metrics holds.</summary>
public enum RouteLabelMode
{
    /// <summary>
    /// The matched endpoint's route template, such as <c>/v1/models/{id}</c>, always with a leading <c>/</c>;
    /// <c>unmatched</c> when no endpoint matched.
    /// </summary>
    Template,

    /// <summary>
    /// The endpoint's name, as given by <c>.WithName("…")</c>, or its route template when it has no name;
    /// <c>unmatched</c> when no endpoint matched.
    /// </summary>
    EndpointName,

    /// <summary>
    /// An empty value for every request, which Prometheus treats as no label: requests are split by method and
    /// status only, for the smallest series count.
    /// </summary>
    None,
}
