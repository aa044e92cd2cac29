namespace Metrics;

/// <summary>
/// A run of consecutive buckets, as the protobuf format lists them: <see cref="Offset"/> is the first bucket's
/// index for the first span, and for each later span the gap after the previous one; <see cref="Length"/> buckets follow.
/// </summary>
internal readonly record struct NativeBucketSpan(int Offset, uint Length);
