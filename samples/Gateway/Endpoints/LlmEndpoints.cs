using Gateway.Accounts;
using Gateway.Routing;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// The LLM APIs: <c>POST /v1/chat/completions</c>, <c>/v1/responses</c> and <c>/v1/messages</c>, each behind an API
/// key and the account's rate limit, and <c>GET /v1/models</c>.
/// </summary>
internal static class LlmEndpoints
{
    private const string AnthropicVersionHeader = "anthropic-version";

    // Model lists carry a creation time; the gateway has none from its providers, so it reports when it started.
    private static readonly DateTimeOffset ListedSince = DateTimeOffset.UtcNow;

    /// <summary>Maps the three surfaces and the model list.</summary>
    public static void MapLlmEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var surface in ApiSurface.All)
        {
            endpoints.MapPost(surface.Path, (RequestDelegate)(context => context.RequestServices.GetRequiredService<LlmProxy>().HandleAsync(context, surface)))
                .WithMetadata(surface)
                .RequireAuthorization()
                .RequireRateLimiting(AccountRateLimiting.PolicyName);
        }

        endpoints.MapGet("/v1/models", ListModels).RequireAuthorization();
    }

    // Anthropic's SDKs send anthropic-version on every call, so it selects Anthropic's list shape.
    private static IResult ListModels(HttpContext context, ModelCatalog models)
    {
        var started = ListedSince;
        if (context.Request.Headers.ContainsKey(AnthropicVersionHeader))
        {
            var anthropic = models.All.Select(route => new AnthropicModel("model", route.Name, route.Name, started)).ToArray();
            return Results.Json(
                new AnthropicModelList(anthropic, false, anthropic.FirstOrDefault()?.Id, anthropic.LastOrDefault()?.Id),
                GatewayJsonContext.Default.AnthropicModelList);
        }

        var openAI = models.All.Select(route => new OpenAIModel(route.Name, "model", started.ToUnixTimeSeconds(), route.Providers[0].Name)).ToArray();
        return Results.Json(new OpenAIModelList("list", openAI), GatewayJsonContext.Default.OpenAIModelList);
    }
}
