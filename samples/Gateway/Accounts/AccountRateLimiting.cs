using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Configuration;
using Gateway.Surfaces;
using Gateway.Telemetry;
using Microsoft.AspNetCore.RateLimiting;

namespace Gateway.Accounts;

/// <summary>
/// Per-account rate limits on the LLM endpoints, with ASP.NET Core's rate limiter: a token bucket per account,
/// holding <see cref="AccountOptions.Burst"/> requests and refilled at <see cref="AccountOptions.RequestsPerMinute"/>.
/// A refused request gets 429 with <c>Retry-After</c>, in the endpoint's error shape.
/// </summary>
internal static class AccountRateLimiting
{
    /// <summary>The policy name the LLM endpoints require.</summary>
    public const string PolicyName = "per-account";

    /// <summary>Registers the rate limiter and its per-account policy.</summary>
    public static IServiceCollection AddAccountRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(PolicyName, Partition);
            options.OnRejected = OnRejectedAsync;
        });

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        // The policy sits behind authorization, so every request it sees carries a credential.
        var account = context.GetCredential().Account;
        return RateLimitPartition.GetTokenBucketLimiter(account.Name, _ => BucketOf(account.Options));
    }

    private static TokenBucketRateLimiterOptions BucketOf(AccountOptions account)
    {
        // Whole tokens per period: one per second-fraction below 60 a minute, else the nearest whole rate per second.
        var perSecond = account.RequestsPerMinute / 60.0;
        var (tokens, period) = perSecond >= 1
            ? ((int)Math.Round(perSecond), TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromMinutes(1) / account.RequestsPerMinute);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = account.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var metrics = http.RequestServices.GetRequiredService<GatewayMetrics>();
        var account = http.GetCredential().Account;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        account.Metrics.RecordRequest();
        account.Metrics.RecordRateLimited();
        metrics.RecordError(ErrorTypes.RateLimited, GatewayMetrics.None);
        var surface = http.GetEndpoint()?.Metadata.GetMetadata<ApiSurface>() ?? ApiSurface.OpenAIChat;
        metrics.RecordGatewayAnswer(surface, GatewayMetrics.None, StatusCodes.Status429TooManyRequests);
        await ApiErrors.WriteAsync(
            http,
            ClientStyle.Of(http),
            StatusCodes.Status429TooManyRequests,
            ApiErrorKind.RateLimited,
            $"Rate limit exceeded for account '{account.Name}'. Retry after {seconds} s.");
    }
}
