using System.Text;

namespace Metrics.Exposition;

/// <summary>Escaping and UTF-8 encoding of label pairs and help text, done once per series or family and cached.</summary>
internal static class LabelEncoding
{
    /// <summary>Encodes <c>name="value",…</c> (without braces), escaping <c>\</c>, <c>"</c> and newline in values.</summary>
    public static byte[] EncodeLabelPairs(string[] names, string[] values)
    {
        if (names.Length == 0)
        {
            return [];
        }

        var text = new StringBuilder();
        for (var i = 0; i < names.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(names[i]).Append("=\"");
            AppendEscaped(text, values[i], escapeQuotes: true);
            text.Append('"');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Escapes help text: <c>\</c> and newline always; <c>"</c> too for OpenMetrics, where HELP is an escaped string.</summary>
    public static string EscapeHelp(string help, bool escapeQuotes)
    {
        var text = new StringBuilder(help.Length);
        AppendEscaped(text, help, escapeQuotes);
        return text.ToString();
    }

    private static void AppendEscaped(StringBuilder text, string value, bool escapeQuotes)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '"' when escapeQuotes:
                    text.Append("\\\"");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }
}
