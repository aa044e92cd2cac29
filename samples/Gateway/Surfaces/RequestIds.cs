using System.Security.Cryptography;
using Gateway.Configuration;

namespace Gateway.Surfaces;

/// <summary>
/// Request ids as each API hands them out: OpenAI's <c>x-request-id: req_</c> and 32 hex digits, Anthropic's
/// <c>request-id: req_011C</c> and 20 base-58 characters. The gateway's own answers and the simulated providers use
/// them, so a client sees the same kind of id whether a provider or the gateway answered.
/// </summary>
internal static class RequestIds
{
    /// <summary>OpenAI's request id header.</summary>
    public const string OpenAIHeader = "x-request-id";

    /// <summary>Anthropic's request id header.</summary>
    public const string AnthropicHeader = "request-id";

    private const string Base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>The header that carries the request id in <paramref name="style"/>'s API.</summary>
    public static string HeaderFor(ProviderStyle style) => style == ProviderStyle.Anthropic ? AnthropicHeader : OpenAIHeader;

    /// <summary>A new, random request id in <paramref name="style"/>'s form.</summary>
    // Once per API call: builds the string in place, with the random bytes on the stack.
    public static string New(ProviderStyle style) => style == ProviderStyle.OpenAI
        ? string.Create(36, 0, static (id, _) =>
        {
            "req_".CopyTo(id);
            Span<byte> random = stackalloc byte[16];
            RandomNumberGenerator.Fill(random);
            Convert.TryToHexStringLower(random, id[4..], out _);
        })
        : string.Create(28, 0, static (id, _) =>
        {
            "req_011C".CopyTo(id);
            for (var i = 8; i < id.Length; i++)
            {
                id[i] = Base58[RandomNumberGenerator.GetInt32(Base58.Length)];
            }
        });

    /// <summary>The request id a provider of <paramref name="style"/> sent with <paramref name="response"/>, if any.</summary>
    public static string? Of(HttpResponseMessage response, ProviderStyle style) =>
        response.Headers.NonValidated.TryGetValues(HeaderFor(style), out var values) && values.Count > 0 && values.ToString() is { Length: > 0 } id ? id : null;
}
