using System.Collections.Concurrent;
using System.Globalization;

namespace Metrics.Bridge;

/// <summary>
/// The label value of a tag value, which arrives as an object: strings pass through, null is empty, booleans are
/// <c>true</c> and <c>false</c>, and every other value is formatted with the invariant culture once and then cached, so
/// a value seen before costs a lookup and no allocation.
/// </summary>
/// <remarks>
/// The cache keeps value types only (numbers, enums, structs), whose equality is their value, and holds at most
/// <see cref="CacheLimit"/> of them, so that unbounded values cannot grow memory; past that, and for reference types
/// other than strings, each measurement formats its value again, which allocates.
/// </remarks>
internal static class TagValueText
{
    public const int CacheLimit = 4096;

    // Status codes and small counts are the common integer tags; a table answers them without hashing.
    private static readonly string?[] SmallIntegers = new string?[1024];
    private static readonly ConcurrentDictionary<object, string> Cache = new();

    // Hot path: for strings, small integers, booleans and cached values, no allocation and no lock.
    public static string Format(object? value)
    {
        switch (value)
        {
            case string text:
                return text;
            case null:
                return "";
            case int number when (uint)number < (uint)SmallIntegers.Length:
                return SmallIntegers[number] ??= number.ToString(CultureInfo.InvariantCulture);
            case bool flag:
                return flag ? "true" : "false";
            default:
                return Cache.TryGetValue(value, out var cached) ? cached : FormatAndCache(value);
        }
    }

    private static string FormatAndCache(object value)
    {
        var text = value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? "";
        if (value.GetType().IsValueType && Cache.Count < CacheLimit)
        {
            Cache.TryAdd(value, text);
        }

        return text;
    }
}
