namespace Metrics.AspNetCore;

/// <summary>One serialized <see cref="HistoryDocument"/> on its way to a live client, and the last point it carries.</summary>
internal readonly record struct LiveMessage(byte[] Json, long LastSequence);
