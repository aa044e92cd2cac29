using System.Buffers.Text;

namespace Metrics;

/// <summary>Reads numbers out of the text of <c>/proc</c> files without building strings.</summary>
internal static class ProcText
{
    /// <summary>
    /// Field <paramref name="field"/> of <c>/proc/[pid]/stat</c>, numbered from 1 as in proc(5). The second field,
    /// the command name, is in parentheses and may itself hold spaces and parentheses, so fields are counted from
    /// the last <c>)</c>, after which the third field starts.
    /// </summary>
    public static bool TryReadStatField(ReadOnlySpan<byte> stat, int field, out long value)
    {
        value = 0;
        var commandEnd = stat.LastIndexOf((byte)')');
        if (commandEnd < 0 || field < 3)
        {
            return false;
        }

        var rest = stat[(commandEnd + 1)..];
        for (var current = 3; ; current++)
        {
            rest = rest.TrimStart((byte)' ');
            var end = rest.IndexOfAny((byte)' ', (byte)'\n');
            var token = end < 0 ? rest : rest[..end];
            if (current == field)
            {
                return Utf8Parser.TryParse(token, out value, out var consumed) && consumed == token.Length;
            }

            if (end < 0 || rest[end] == (byte)'\n')
            {
                return false;
            }

            rest = rest[end..];
        }
    }

    /// <summary>
    /// The number that follows <paramref name="name"/> at the start of a line, past any spaces, as in
    /// <c>rchar: 6976</c> in <c>/proc/self/io</c> or <c>Max open files  1024  4096  files</c> in
    /// <c>/proc/self/limits</c>, where the first number is the soft limit. <c>unlimited</c> reads as
    /// <see cref="ulong.MaxValue"/>, as client_golang's procfs reads it.
    /// </summary>
    public static bool TryReadLineValue(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name, out double value)
    {
        value = 0;
        while (!text.IsEmpty)
        {
            var lineEnd = text.IndexOf((byte)'\n');
            var line = lineEnd < 0 ? text : text[..lineEnd];
            if (line.StartsWith(name))
            {
                var number = line[name.Length..].TrimStart((byte)' ');
                if (number.StartsWith("unlimited"u8))
                {
                    value = ulong.MaxValue;
                    return true;
                }

                var parsed = Utf8Parser.TryParse(number, out ulong whole, out _);
                value = whole;
                return parsed;
            }

            text = lineEnd < 0 ? default : text[(lineEnd + 1)..];
        }

        return false;
    }
}
