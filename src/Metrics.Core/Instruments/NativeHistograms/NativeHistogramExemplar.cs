namespace Metrics;

/// <summary>An exemplar as a native histogram's snapshot holds it: its labels, the observed value, and when it was recorded (Unix seconds).</summary>
internal readonly record struct NativeHistogramExemplar(Exemplar Labels, double Value, double Timestamp);
