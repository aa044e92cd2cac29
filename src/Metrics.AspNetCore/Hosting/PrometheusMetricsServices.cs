using Microsoft.Extensions.DependencyInjection;

namespace Metrics.AspNetCore;

/// <summary>Resolves the adapter's services with an error that says what to do when they were never registered.</summary>
internal static class PrometheusMetricsServices
{
    public static T Resolve<T>(IServiceProvider services, string caller, string registration = "AddPrometheusMetrics")
        where T : notnull =>
        services.GetService<T>() ?? throw new InvalidOperationException(
            $"{caller} needs the services of {registration}: call builder.Services.{registration}() when configuring services.");
}
