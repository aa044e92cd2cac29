using Gateway.Accounts;
using Gateway.Routing;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// The LLM APIs: <c>POST /v1/chat/completions</c>, <c>/v1/responses</c>, <c>/v1/messages</c> and
/// <c>/v1/messages/count_tokens</c>, each behind an API key and the account's rate limit.
/// </summary>
internal static class LlmEndpoints
{
    /// <summary>Maps every surface.</summary>
    public static void MapLlmEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var surface in ApiSurface.All)
        {
            endpoints.MapPost(surface.Path, (RequestDelegate)(context => context.RequestServices.GetRequiredService<LlmProxy>().HandleAsync(context, surface)))
                .WithMetadata(surface, ApiExchangeMiddleware.EndpointMarker)
                .RequireAuthorization()
                .RequireRateLimiting(AccountRateLimiting.PolicyName);
        }
    }
}
