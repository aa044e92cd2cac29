namespace Metrics.AspNetCore;

/// <summary>One serialized <see cref="HistoryDocument"/> on its way to live clients, and the last point it carries.</summary>
internal sealed record LiveMessage(byte[] Json, long LastSequence);
