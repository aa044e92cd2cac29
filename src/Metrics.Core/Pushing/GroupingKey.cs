using System.Text;

namespace Metrics.Pushing;

/// <summary>
/// The path of a Pushgateway group: <c>metrics/job/{job}</c>, then <c>/{label}/{value}</c> per grouping label. A value
/// that is empty or holds a <c>/</c> cannot stand in a path segment, so it goes as <c>{label}@base64/{URL-safe base64}</c>,
/// as the Pushgateway documents; any other value is percent-escaped.
/// </summary>
internal static class GroupingKey
{
    public static string PathOf(string job, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        var path = new StringBuilder("metrics");
        Append(path, "job", job);
        var seen = new HashSet<string>(StringComparer.Ordinal) { "job" };
        foreach (var (name, value) in labels)
        {
            MetricNames.ValidateLabelName(name, nameof(labels));
            ArgumentNullException.ThrowIfNull(value, nameof(labels));
            if (!seen.Add(name))
            {
                throw new ArgumentException($"Invalid grouping label '{name}': each label name appears once in a grouping key, and 'job' is given as the job.", nameof(labels));
            }

            Append(path, name, value);
        }

        return path.ToString();
    }

    private static void Append(StringBuilder path, string name, string value)
    {
        path.Append('/').Append(name);
        if (value.Length == 0 || value.Contains('/', StringComparison.Ordinal))
        {
            // The Pushgateway reads "=" as the empty value; padding is optional otherwise.
            var encoded = value.Length == 0 ? "=" : Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).Replace('+', '-').Replace('/', '_');
            path.Append("@base64/").Append(encoded);
            return;
        }

        path.Append('/').Append(Uri.EscapeDataString(value));
    }
}
