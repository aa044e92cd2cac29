using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Surfaces;

/// <summary>
/// Reads a request body as one JSON object, strictly: valid UTF-8, valid JSON, no escaped lone surrogate, and no
/// property name twice in one object (compared unescaped, so <c>"mod\u0065l"</c> repeats <c>"model"</c>). A body that
/// passes is text every reader agrees on, so the provider cannot fail on what the gateway accepted, nor read a
/// different <c>model</c> from it. Errors are the gateway's own words with the
/// position of the fault, never a parser's exception text.
/// </summary>
internal static class JsonRequestBody
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Reads the body of <paramref name="request"/>, which must be declared JSON (else 415) and at most
    /// <paramref name="maxBytes"/> long (else 413), and parses it as one object (else 400).
    /// </summary>
    public static async Task<(JsonDocument? Document, int Status, RequestError? Error)> ReadObjectAsync(HttpRequest request, int maxBytes)
    {
        if (JsonContentType.Check(request) is { } mediaTypeError)
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, mediaTypeError);
        }

        var body = await RequestBody.ReadAsync(request, maxBytes, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, new(ApiErrorKind.RequestTooLarge, $"The request body is larger than this endpoint's limit of {maxBytes} bytes."));
        }

        return TryParseObject(body, out var document, out var error)
            ? (document, StatusCodes.Status200OK, null)
            : (null, StatusCodes.Status400BadRequest, error);
    }

    /// <summary>Parses <paramref name="body"/> into <paramref name="document"/>, or says why it is no such object.</summary>
    public static bool TryParseObject(byte[] body, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out RequestError? error)
    {
        document = null;
        if (!Utf8.IsValid(body))
        {
            error = new(ApiErrorKind.InvalidJson, $"The request body is not valid UTF-8: the byte at offset {InvalidUtf8Offset(body)} does not start or continue a character.");
            return false;
        }

        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(body, Strict);
        }
        catch (JsonException exception)
        {
            error = RepeatsAName(body)
                ? new(ApiErrorKind.InvalidRequest, "The request body repeats a property name within one object; each may appear once.")
                : new(
                    ApiErrorKind.InvalidJson,
                    $"The request body is not valid JSON: the error is at line {(exception.LineNumber ?? 0) + 1}, byte {(exception.BytePositionInLine ?? 0) + 1}.");
            return false;
        }

        error = Check(body, parsed.RootElement);
        if (error is not null)
        {
            parsed.Dispose();
            return false;
        }

        document = parsed;
        return true;
    }

    private static RequestError? Check(byte[] body, JsonElement root)
    {
        if (LoneSurrogateOffset(body) is { } offset)
        {
            return new(ApiErrorKind.InvalidJson, $"The request body is not valid Unicode: the escape at offset {offset} is half of a surrogate pair.");
        }

        return root.ValueKind == JsonValueKind.Object ? null : new(ApiErrorKind.InvalidRequest, "The request body must be a JSON object.");
    }

    // Only on the error path: whether the body parses once repeated names are allowed, so that was its only fault.
    private static bool RepeatsAName(byte[] body)
    {
        try
        {
            using var lenient = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Valid JSON has backslashes only inside strings, each starting one well-formed escape; UTF-8 that is valid
    // encodes no surrogate, so an escaped one is the only way half a pair gets in.
    private static int? LoneSurrogateOffset(ReadOnlySpan<byte> body)
    {
        var index = body.IndexOf((byte)'\\');
        while (index >= 0 && index + 1 < body.Length)
        {
            if (body[index + 1] != (byte)'u')
            {
                index = Next(body, index + 2);
                continue;
            }

            var unit = Hex4(body.Slice(index + 2, 4));
            if (char.IsLowSurrogate(unit))
            {
                return index;
            }

            if (char.IsHighSurrogate(unit))
            {
                var low = index + 6;
                if (low + 6 > body.Length || body[low] != (byte)'\\' || body[low + 1] != (byte)'u' || !char.IsLowSurrogate(Hex4(body.Slice(low + 2, 4))))
                {
                    return index;
                }

                index = Next(body, low + 6);
                continue;
            }

            index = Next(body, index + 6);
        }

        return null;
    }

    private static int Next(ReadOnlySpan<byte> body, int from)
    {
        if (from >= body.Length)
        {
            return -1;
        }

        var next = body[from..].IndexOf((byte)'\\');
        return next < 0 ? -1 : from + next;
    }

    private static char Hex4(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value << 4) | HexValue(digit);
        }

        return (char)value;
    }

    private static int HexValue(byte digit) => digit switch
    {
        >= (byte)'0' and <= (byte)'9' => digit - '0',
        >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
        _ => digit - 'A' + 10,
    };

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> body)
    {
        var offset = 0;
        while (offset < body.Length && Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }
}
