using Gateway.Configuration;
using Gateway.Routing;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace Gateway.Resilience;

/// <summary>
/// The Polly pipeline of one provider's <c>HttpClient</c>, outermost first: a total timeout, retries with
/// exponential backoff (honouring <c>Retry-After</c>), a circuit breaker, and a per-attempt timeout. The metrics
/// come from Polly's own callbacks, so <c>llm_circuit_state</c> follows the breaker's real transitions. What is
/// retried and what the breaker counts is <see cref="ProviderFaults"/>'s decision.
/// </summary>
internal static class ProviderPipeline
{
    /// <summary>Adds the strategies for <paramref name="provider"/> to <paramref name="pipeline"/>.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, Provider provider, ResilienceOptions options)
    {
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.RetryJitter,
                ShouldHandle = static arguments => ValueTask.FromResult(ProviderFaults.IsTransient(arguments.Outcome)),
                OnRetry = _ =>
                {
                    provider.Metrics.RecordRetry();
                    return default;
                },
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            ShouldHandle = static arguments => ValueTask.FromResult(ProviderFaults.IsProviderFault(arguments.Outcome)),
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            StateProvider = provider.CircuitBreaker,
            OnOpened = _ =>
            {
                provider.Metrics.RecordCircuitState(CircuitState.Open);
                return default;
            },
            OnHalfOpened = _ =>
            {
                provider.Metrics.RecordCircuitState(CircuitState.HalfOpen);
                return default;
            },
            OnClosed = _ =>
            {
                provider.Metrics.RecordCircuitState(CircuitState.Closed);
                return default;
            },
        });
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
    }
}
