using System.Text;

namespace Interop.Tests.RandomInput;

/// <summary>
/// Random strings for names, help texts and label values, biased toward what breaks expositions: quotes,
/// backslashes, newlines, control characters, emoji and other astral characters, and very long strings. Every
/// string is well-formed UTF-16 (no lone surrogate), drawn from all Unicode scalar values.
/// </summary>
internal sealed class RandomText(Random random)
{
    private const string MetricNameStart = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:";
    private const string LabelNameStart = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    private const string Digits = "0123456789";
    private const string Nasty = "\"\\\n\r\t{}=,# ";

    private static readonly string[] Specials =
    [
        "", "\\", "\"", "\n", "\\n", "\\\"", "\"\\\"", "\r\n", "\0", "\u007f", "\u0085", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff",
        "le", "+Inf", "NaN", "# EOF", "a\n# EOF\n", "} 1", "\"} 1\n", "😀", "👩‍👩‍👧‍👦", "🇫🇷", "\U0010FFFF", "\U0001F600\\\"\n", "e\u0301",
    ];

    /// <summary>A valid metric name: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, not starting with <c>__</c>.</summary>
    public string MetricName(int maxLength = 24)
    {
        var name = Name(MetricNameStart, MetricNameStart + Digits, maxLength);
        return name.StartsWith("__", StringComparison.Ordinal) ? "x" + name : name;
    }

    /// <summary>A valid label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, not starting with <c>__</c>.</summary>
    public string LabelName(int maxLength = 16)
    {
        var name = Name(LabelNameStart, LabelNameStart + Digits, maxLength);
        return name.StartsWith("__", StringComparison.Ordinal) ? "x" + name : name;
    }

    /// <summary>A metric name that breaks the rule in one of the ways users do.</summary>
    public string InvalidMetricName() => Invalid(MetricNameStart, MetricNameStart + Digits);

    /// <summary>A label name that breaks the rule in one of the ways users do (including a colon, valid only in metric names).</summary>
    public string InvalidLabelName() => random.Next(6) == 0 ? LabelName(8) + ":" + LabelName(4) : Invalid(LabelNameStart, LabelNameStart + Digits);

    /// <summary>Free text from all of Unicode, of up to <paramref name="maxLength"/> scalar values, sometimes much longer.</summary>
    public string Value(int maxLength = 24)
    {
        switch (random.Next(12))
        {
            case 0:
                return Specials[random.Next(Specials.Length)];
            case 1:
                return Scalars(random.Next(1_000, 5_000), Scalar);
            case 2:
                return Scalars(random.Next(maxLength + 1), () => Nasty[random.Next(Nasty.Length)]);
            default:
                return Scalars(random.Next(maxLength + 1), random.Next(3) == 0 ? Scalar : Mixed);
        }
    }

    private string Name(string start, string rest, int maxLength)
    {
        var length = 1 + random.Next(maxLength);
        var name = new StringBuilder(length);
        name.Append(start[random.Next(start.Length)]);
        while (name.Length < length)
        {
            name.Append(rest[random.Next(rest.Length)]);
        }

        return name.ToString();
    }

    private string Invalid(string start, string rest)
    {
        var valid = Name(start, rest, 12);
        return random.Next(7) switch
        {
            0 => "",
            1 => Digits[random.Next(Digits.Length)] + valid,
            2 => "__" + valid,
            3 => valid.Insert(random.Next(valid.Length + 1), "-"),
            4 => valid.Insert(random.Next(valid.Length + 1), " "),
            5 => valid + "é",
            _ => valid.Insert(random.Next(valid.Length + 1), NonNameCharacter()),
        };
    }

    // A scalar value that is in no name: neither a letter, a digit, '_' nor ':'.
    private string NonNameCharacter()
    {
        while (true)
        {
            var text = char.ConvertFromUtf32(Scalar());
            if (text.Length == 2 || !(char.IsAsciiLetterOrDigit(text[0]) || text[0] is '_' or ':'))
            {
                return text;
            }
        }
    }

    private static string Scalars(int count, Func<int> next)
    {
        var text = new StringBuilder(count);
        for (var i = 0; i < count; i++)
        {
            text.Append(char.ConvertFromUtf32(next()));
        }

        return text.ToString();
    }

    // Mostly ASCII, with the characters that need escaping and a share of everything else.
    private int Mixed() => random.Next(10) switch
    {
        < 5 => random.Next(0x20, 0x7f),
        5 => Nasty[random.Next(Nasty.Length)],
        6 => random.Next(0x00, 0x20),
        7 => random.Next(0x1F300, 0x1FAFF),
        _ => Scalar(),
    };

    // Any Unicode scalar value: a code point that is not a surrogate.
    private int Scalar()
    {
        while (true)
        {
            var codePoint = random.Next(4) == 0 ? random.Next(0x10000, 0x110000) : random.Next(0, 0x10000);
            if (codePoint is < 0xD800 or > 0xDFFF)
            {
                return codePoint;
            }
        }
    }
}
