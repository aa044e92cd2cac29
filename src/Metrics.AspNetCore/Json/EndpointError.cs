namespace Metrics.AspNetCore;

/// <summary>
/// The body of every error the library's endpoints answer: a stable code a program can branch on, and a message that
/// says what to fix. It never carries an exception's text or a .NET type name.
/// </summary>
internal sealed class EndpointError
{
    public required string Error { get; init; }

    public required string Message { get; init; }
}
