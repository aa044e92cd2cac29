using System.Runtime.CompilerServices;

namespace Metrics;

/// <summary>
/// Up to three label values held inline on the stack, so the one-, two- and three-value lookups can share the span
/// lookup without building an array.
/// </summary>
[InlineArray(3)]
internal struct LabelValueSet
{
    private string _first;
}
