namespace Metrics.Exposition.Protobuf;

/// <summary>How a protobuf field's value is laid out on the wire: the low three bits of its tag.</summary>
internal enum ProtobufWireType
{
    /// <summary>A base-128 varint: every integer type, bool and enum.</summary>
    Varint = 0,

    /// <summary>Eight little-endian bytes: <c>double</c>, <c>fixed64</c>, <c>sfixed64</c>.</summary>
    Fixed64 = 1,

    /// <summary>A varint length, then that many bytes: strings, bytes, nested messages and packed repeated fields.</summary>
    LengthDelimited = 2,

    /// <summary>Four little-endian bytes: <c>float</c>, <c>fixed32</c>, <c>sfixed32</c>.</summary>
    Fixed32 = 5,
}
