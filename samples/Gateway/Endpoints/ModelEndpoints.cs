using System.Globalization;
using Gateway.Configuration;
using Gateway.Routing;
using Gateway.Surfaces;

namespace Gateway.Endpoints;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>, behind an API key, in the caller's API shape (see
/// <see cref="ClientStyle"/>): OpenAI's <c>{"object":"list","data":[…]}</c> and model objects, or Anthropic's paged
/// list (<c>limit</c>, <c>after_id</c>, <c>before_id</c>) and model objects. An unknown model is a 404 in the same shape.
/// </summary>
internal static class ModelEndpoints
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 1000;

    // Model lists carry a creation time; the gateway has none from its providers, so it reports when it started.
    private static readonly DateTimeOffset ListedSince = DateTimeOffset.UtcNow;

    /// <summary>Maps both endpoints.</summary>
    public static void MapModelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/models", (RequestDelegate)ListAsync).RequireAuthorization().WithMetadata(ApiExchangeMiddleware.EndpointMarker);
        endpoints.MapGet("/v1/models/{**id}", (RequestDelegate)RetrieveAsync).RequireAuthorization().WithMetadata(ApiExchangeMiddleware.EndpointMarker);
    }

    private static Task ListAsync(HttpContext context)
    {
        var models = context.RequestServices.GetRequiredService<ModelCatalog>().All;
        if (ClientStyle.Of(context) == ProviderStyle.OpenAI)
        {
            var openAI = models.Select(OpenAIModelOf).ToArray();
            return Results.Json(new OpenAIModelList("list", openAI), GatewayJsonContext.Default.OpenAIModelList).ExecuteAsync(context);
        }

        var query = context.Request.Query;
        if (!TryPageSize(query["limit"], out var limit))
        {
            return ApiErrors.WriteAsync(
                context, ProviderStyle.Anthropic, StatusCodes.Status400BadRequest, ApiErrorKind.InvalidRequest, $"limit: Input should be between 1 and {MaxPageSize}");
        }

        var names = models.Select(route => route.Name).ToList();
        var (start, end) = (0, names.Count);
        if (query["after_id"].ToString() is { Length: > 0 } after)
        {
            start = names.IndexOf(after) + 1;
        }

        if (query["before_id"].ToString() is { Length: > 0 } before)
        {
            end = Math.Max(0, names.IndexOf(before));
            start = Math.Max(start, end - limit);
        }

        var page = models.Skip(start).Take(Math.Min(limit, Math.Max(0, end - start))).Select(AnthropicModelOf).ToArray();
        var hasMore = string.IsNullOrEmpty(query["before_id"]) ? start + page.Length < end : start > 0;
        return Results.Json(
            new AnthropicModelList(page, hasMore, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id),
            GatewayJsonContext.Default.AnthropicModelList).ExecuteAsync(context);
    }

    private static Task RetrieveAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var style = ClientStyle.Of(context);
        if (!context.RequestServices.GetRequiredService<ModelCatalog>().TryFind(id, out var route))
        {
            return style == ProviderStyle.OpenAI
                ? ApiErrors.WriteAsync(context, style, StatusCodes.Status404NotFound, ApiErrorKind.ModelNotFound, $"The model '{EchoedText.Cut(id)}' does not exist", "model")
                : ApiErrors.WriteAsync(context, style, StatusCodes.Status404NotFound, ApiErrorKind.NotFound, $"model: {EchoedText.Cut(id)}");
        }

        return style == ProviderStyle.OpenAI
            ? Results.Json(OpenAIModelOf(route), GatewayJsonContext.Default.OpenAIModel).ExecuteAsync(context)
            : Results.Json(AnthropicModelOf(route), GatewayJsonContext.Default.AnthropicModel).ExecuteAsync(context);
    }

    private static OpenAIModel OpenAIModelOf(ModelRoute route) => new(route.Name, "model", ListedSince.ToUnixTimeSeconds(), route.Providers[0].Name);

    private static AnthropicModel AnthropicModelOf(ModelRoute route) => new("model", route.Name, route.Name, ListedSince);

    private static bool TryPageSize(string? value, out int limit)
    {
        limit = DefaultPageSize;
        return string.IsNullOrEmpty(value)
            || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxPageSize);
    }
}
