using System.Runtime.CompilerServices;

namespace Metrics.Bridge;

/// <summary>Label values of one measurement held on the stack, so that resolving a series builds no array.</summary>
[InlineArray(Length)]
internal struct TagValueBuffer
{
    /// <summary>The most labels a measurement resolves without allocating.</summary>
    public const int Length = 8;

    private string _first;
}
