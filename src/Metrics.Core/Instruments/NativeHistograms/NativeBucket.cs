namespace Metrics;

/// <summary>One bucket of a native histogram: its index in the schema, and how many observations it holds.</summary>
internal readonly record struct NativeBucket(int Index, long Count);
