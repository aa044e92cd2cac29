namespace Gateway.Surfaces;

/// <summary>
/// Client text the gateway repeats in an error message, such as an unknown model name, cut to a fixed length so
/// that an error never costs more than a small fixed size however long the client's text was.
/// </summary>
internal static class EchoedText
{
    /// <summary>The most characters of client text an error message repeats.</summary>
    public const int MaxLength = 256;

    /// <summary><paramref name="text"/>, or its first <see cref="MaxLength"/> characters and an ellipsis.</summary>
    public static string Cut(string text)
    {
        if (text.Length <= MaxLength)
        {
            return text;
        }

        // Never split a surrogate pair: half of one is not text a JSON body can carry.
        var length = char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return string.Concat(text.AsSpan(0, length), "…");
    }
}
