using Microsoft.Net.Http.Headers;

namespace Gateway.Surfaces;

/// <summary>
/// The Content-Type a JSON body must carry: <c>application/json</c> or a <c>+json</c> type, in UTF-8 if it names a
/// charset (JSON text exchanged between systems is UTF-8). Anything else, or none, is 415 before the body is read.
/// </summary>
internal static class JsonContentType
{
    /// <summary>The refusal of <paramref name="request"/>'s Content-Type, or null when it declares JSON.</summary>
    public static RequestError? Check(HttpRequest request)
    {
        var header = request.ContentType;
        if (string.IsNullOrEmpty(header))
        {
            return new(ApiErrorKind.UnsupportedMediaType, "The request has no Content-Type; send the JSON body with 'Content-Type: application/json'.");
        }

        if (!MediaTypeHeaderValue.TryParse(header, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || (mediaType.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))))
        {
            return new(ApiErrorKind.UnsupportedMediaType, $"The Content-Type '{EchoedText.Cut(header)}' is not JSON; send the body with 'Content-Type: application/json'.");
        }

        if (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return new(ApiErrorKind.UnsupportedMediaType, $"The charset '{EchoedText.Cut(mediaType.Charset.ToString())}' is not supported; JSON bodies must be UTF-8.");
        }

        return null;
    }
}
