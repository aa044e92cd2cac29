using System.Globalization;

namespace Gateway.Telemetry;

/// <summary>Cached <c>status</c> label values, so labelling a response never formats a number.</summary>
internal static class StatusLabels
{
    private static readonly string[] Labels = Create();

    /// <summary>The label value of <paramref name="status"/>.</summary>
    // Hot path: an array read for every real status code; must never allocate for them.
    public static string Of(int status) =>
        (uint)status < (uint)Labels.Length ? Labels[status] : status.ToString(CultureInfo.InvariantCulture);

    private static string[] Create()
    {
        var labels = new string[600];
        for (var status = 0; status < labels.Length; status++)
        {
            labels[status] = status.ToString(CultureInfo.InvariantCulture);
        }

        return labels;
    }
}
