namespace Gateway.Simulation;

/// <summary>
/// The fault a simulated provider is told to show: for good, or for the next <c>count</c> completion requests only,
/// after which it is healthy again. Health probes see only a fault set for good, so a counted fault hits exactly the
/// requests it was meant for.
/// </summary>
internal sealed class FaultSchedule
{
    private readonly Lock _lock = new();
    private FaultMode _mode;
    private int? _remaining;

    /// <summary>The current mode and how many completion requests it still applies to (null: until changed).</summary>
    public (FaultMode Mode, int? Remaining) State
    {
        get
        {
            lock (_lock)
            {
                return (_mode, _remaining);
            }
        }
    }

    /// <summary>The fault health probes see.</summary>
    public FaultMode Persistent
    {
        get
        {
            lock (_lock)
            {
                return _remaining is null ? _mode : FaultMode.Healthy;
            }
        }
    }

    /// <summary>Shows <paramref name="mode"/> for the next <paramref name="count"/> completion requests, or for good when null.</summary>
    public void Set(FaultMode mode, int? count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count ?? 1, 1, nameof(count));
        lock (_lock)
        {
            _mode = mode;
            _remaining = mode == FaultMode.Healthy ? null : count;
        }
    }

    /// <summary>The fault for one completion request, using up one of a counted fault's requests.</summary>
    public FaultMode TakeForRequest()
    {
        lock (_lock)
        {
            var mode = _mode;
            if (_remaining is { } remaining)
            {
                _remaining = remaining - 1;
                if (remaining == 1)
                {
                    _mode = FaultMode.Healthy;
                    _remaining = null;
                }
            }

            return mode;
        }
    }
}
