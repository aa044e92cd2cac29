using Microsoft.AspNetCore.Http;

namespace Metrics.AspNetCore;

/// <summary>
/// Maps a request method to a bounded set of label values. The method is chosen by the client, so an unknown one
/// becomes <see cref="Other"/>, as in OpenTelemetry's HTTP conventions, rather than a new series per invented verb.
/// </summary>
internal static class HttpMethodLabel
{
    /// <summary>The label value of every method outside the standard nine.</summary>
    public const string Other = "_OTHER";

    private static readonly string[] Labels =
    [
        HttpMethods.Get,
        HttpMethods.Post,
        HttpMethods.Put,
        HttpMethods.Delete,
        HttpMethods.Patch,
        HttpMethods.Head,
        HttpMethods.Options,
        HttpMethods.Trace,
        HttpMethods.Connect,
        Other,
    ];

    /// <summary>The label value of an index from <see cref="IndexOf"/>.</summary>
    public static string LabelOf(int index) => Labels[index];

    /// <summary>The index of <paramref name="method"/>'s label; methods compare ignoring case, as routing does.</summary>
    // Hot path: Kestrel hands out the interned constants, so the reference check usually answers; must never allocate.
    public static int IndexOf(string method)
    {
        var known = Labels.Length - 1;
        for (var i = 0; i < known; i++)
        {
            if (ReferenceEquals(Labels[i], method))
            {
                return i;
            }
        }

        for (var i = 0; i < known; i++)
        {
            if (string.Equals(Labels[i], method, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return known;
    }
}
