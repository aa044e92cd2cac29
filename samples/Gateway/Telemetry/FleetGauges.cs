using Gateway.Routing;

namespace Gateway.Telemetry;

/// <summary>The fleet gauges, computed at scrape time from the providers' live state rather than pushed.</summary>
internal static class FleetGauges
{
    /// <summary>Registers <c>llm_backends</c>, <c>llm_backends_healthy</c> and <c>llm_models_available</c>.</summary>
    /// <remarks>
    /// The configured-provider gauge is <c>llm_backends</c>, without <c>_total</c>: that suffix is reserved for
    /// counters, and <c>promtool check metrics</c> rejects a gauge that ends in it.
    /// </remarks>
    public static void Register(GatewayMetrics metrics, ProviderDirectory providers, ModelCatalog models)
    {
        if (!metrics.Enabled)
        {
            return;
        }

        metrics.Registry.CreateCallbackGauge("llm_backends", "Configured providers.", () => providers.All.Count);
        metrics.Registry.CreateCallbackGauge(
            "llm_backends_healthy",
            "Providers whose last health probe succeeded and whose circuit is not open.",
            () => providers.HealthyCount);
        metrics.Registry.CreateCallbackGauge("llm_models_available", "Models with at least one healthy provider.", () => models.AvailableCount);
    }
}
