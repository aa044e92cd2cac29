using System.Diagnostics.Metrics;

namespace Metrics.Bridge;

/// <summary>Which meters a bridge listens to: exact names and trailing-<c>*</c> prefixes, ignoring case, and optionally one scope.</summary>
internal sealed class MeterSelection
{
    private readonly string[] _exactNames;
    private readonly string[] _prefixes;
    private readonly object? _scope;

    public MeterSelection(IEnumerable<string> entries, object? scope, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(entries, parameterName);
        var exact = new List<string>();
        var prefixes = new List<string>();
        foreach (var entry in entries)
        {
            if (string.IsNullOrEmpty(entry))
            {
                throw new ArgumentException("Invalid MeterBridgeOptions.Meters entry: it must not be empty; use '*' to bridge every meter.", parameterName);
            }

            var star = entry.IndexOf('*', StringComparison.Ordinal);
            if (star >= 0 && star != entry.Length - 1)
            {
                throw new ArgumentException(
                    $"Invalid MeterBridgeOptions.Meters entry '{entry}': '*' may only end an entry, as in 'System.Net.*'.", parameterName);
            }

            (star < 0 ? exact : prefixes).Add(star < 0 ? entry : entry[..^1]);
        }

        _exactNames = [.. exact];
        _prefixes = [.. prefixes];
        _scope = scope;
    }

    public bool Matches(Meter meter)
    {
        if (_scope is not null && meter.Scope is not null && !ReferenceEquals(meter.Scope, _scope))
        {
            return false;
        }

        foreach (var name in _exactNames)
        {
            if (string.Equals(meter.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in _prefixes)
        {
            if (meter.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
