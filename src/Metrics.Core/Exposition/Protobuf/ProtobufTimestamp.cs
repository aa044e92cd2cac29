namespace Metrics.Exposition.Protobuf;

/// <summary>
/// A <c>google.protobuf.Timestamp</c>: whole seconds since the Unix epoch and a non-negative nanosecond part below
/// one second, so a time before the epoch has negative seconds and positive nanos.
/// </summary>
internal readonly record struct ProtobufTimestamp(long Seconds, int Nanos)
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>The timestamp of <paramref name="unixSeconds"/>, rounded to the nearest nanosecond.</summary>
    public static ProtobufTimestamp FromUnixSeconds(double unixSeconds)
    {
        var seconds = (long)Math.Floor(unixSeconds);
        var nanos = (long)Math.Round((unixSeconds - seconds) * NanosPerSecond);
        return nanos == NanosPerSecond ? new ProtobufTimestamp(seconds + 1, 0) : new ProtobufTimestamp(seconds, (int)nanos);
    }

    /// <summary>The bytes of the message's content, without its tag and length.</summary>
    public int ContentLength =>
        ProtobufEncoding.Int64FieldLength(ClientModelFields.Timestamp.Seconds, Seconds)
        + ProtobufEncoding.Int64FieldLength(ClientModelFields.Timestamp.Nanos, Nanos);

    /// <summary>Writes the timestamp as field <paramref name="fieldNumber"/> of the enclosing message.</summary>
    public void WriteAsField(ref ProtobufWriter writer, int fieldNumber)
    {
        writer.WriteMessageHeader(fieldNumber, ContentLength);
        writer.WriteInt64Field(ClientModelFields.Timestamp.Seconds, Seconds);
        writer.WriteInt64Field(ClientModelFields.Timestamp.Nanos, Nanos);
    }
}
