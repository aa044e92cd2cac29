namespace Gateway.Surfaces;

/// <summary>Why the gateway refuses a request body, before any provider sees it.</summary>
/// <param name="Kind">The error's kind, which sets its type and code in the API's error shape.</param>
/// <param name="Message">The message for the client: the gateway's own words, never an exception's text.</param>
/// <param name="Param">The request field at fault, if one is: OpenAI's <c>param</c>.</param>
internal sealed record RequestError(ApiErrorKind Kind, string Message, string? Param = null);
