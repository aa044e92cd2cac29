using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Metrics.AspNetCore.Tests.Requests;

[NonParallelizable]
public sealed class RequestExemplarTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string OpenMetrics = "application/openmetrics-text; version=1.0.0";

    [TestCase(true)]
    [TestCase(false)]
    public async Task Exemplars_carry_the_sampled_request_trace_only_when_enabled_and_only_in_openmetrics(bool enabled)
    {
        // ASP.NET Core starts a request Activity from the incoming traceparent only while something listens.
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == "Microsoft.AspNetCore",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await TestApplications.StartAsync(
            static app =>
            {
                app.UsePrometheusRequestMetrics();
                app.MapGet("/v1/models", static () => "ok");
                app.MapPrometheusMetrics();
            },
            options => options.EnableExemplars = enabled);
        var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        using var openMetricsRequest = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        openMetricsRequest.Headers.TryAddWithoutValidation("Accept", OpenMetrics);
        var openMetrics = await (await client.SendAsync(openMetricsRequest)).Content.ReadAsStringAsync();
        var text = await client.GetStringAsync("/metrics");

        var requestLine = openMetrics.Split('\n').Single(line => line.StartsWith("http_requests_total{route=\"/v1/models\"", StringComparison.Ordinal));
        if (enabled)
        {
            requestLine.ShouldStartWith($"http_requests_total{{route=\"/v1/models\",method=\"GET\",status=\"200\"}} 1 # {{trace_id=\"{TraceId}\",span_id=\"");
            openMetrics.ShouldContain($"trace_id=\"{TraceId}\"");
        }
        else
        {
            requestLine.ShouldBe("http_requests_total{route=\"/v1/models\",method=\"GET\",status=\"200\"} 1");
        }

        text.ShouldNotContain("trace_id");
        var parsed = Metrics.Testing.OpenMetricsParser.Parse(openMetrics);
        parsed.RootElement.GetProperty("ok").GetBoolean().ShouldBeTrue();
    }
}
