using System.Net;
using Gateway.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Metrics.Testing.GatewayHarness.GatewaySettings;

namespace Gateway.Tests.Accounts;

public class AuthenticationLogTests
{
    private const string Category = "Gateway.Accounts.AuthenticationRefusals";

    [Test]
    public async Task Refused_requests_log_one_debug_entry_each_and_at_most_one_warning_a_minute_summarising_them()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        // Even with ASP.NET Core's own categories at Information, nothing per refusal reaches Information: only the
        // per-request hosting entries, which every request writes, are left at Warning.
        await using var gateway = await TestGateway.StartAsync(
            settings =>
            {
                settings.LogLevel = LogLevel.Debug;
                settings.Set("Logging:LogLevel:Microsoft.AspNetCore", "Information").Set("Logging:LogLevel:Microsoft.AspNetCore.Hosting", "Warning");
            },
            builder => builder.Services.AddSingleton<TimeProvider>(clock));
        // The start-up probes log at Information; they are done once all four providers are reported healthy.
        await Eventually.TrueAsync(
            () => gateway.Logs.Of("Gateway.Health.BackendHealthMonitor", LogLevel.Information).Count == 4, "the start-up probes are logged");
        var before = gateway.Logs.AtLeast(LogLevel.Information).Count;

        await RefuseAsync(gateway, missing: 120, invalid: 80);

        // Nothing at Information or above for 200 refusals: the flood is in Debug only, without a stack trace.
        gateway.Logs.AtLeast(LogLevel.Information).Count.ShouldBe(before);
        var refusals = gateway.Logs.Of(Category, LogLevel.Debug);
        refusals.Count.ShouldBe(200);
        refusals.Count(entry => entry.Message == "Refused a request with no API key at HTTP: POST /v1/chat/completions.").ShouldBe(60);
        refusals.Count(entry => entry.Message == "Refused a request with an unknown, revoked or expired API key at HTTP: POST /v1/messages.").ShouldBe(40);
        gateway.Logs.AtLeast(LogLevel.Trace).ShouldAllBe(entry => entry.Exception == null);

        clock.Advance(AuthenticationRefusals.SummaryInterval);
        await Eventually.TrueAsync(() => gateway.Logs.Of(Category, LogLevel.Warning).Count == 1, "the first summary is written");
        gateway.Logs.Of(Category, LogLevel.Warning).Single().Message.ShouldBe(
            "Refused 200 requests without a valid API key in the last 60 s: 120 with no key, 80 with an unknown, revoked or expired one.");

        // A quiet minute writes nothing; the next refusals are summarised a minute after the last summary.
        clock.Advance(AuthenticationRefusals.SummaryInterval);
        await RefuseAsync(gateway, missing: 2, invalid: 3);
        clock.Advance(TimeSpan.FromSeconds(59));
        gateway.Logs.Of(Category, LogLevel.Warning).Count.ShouldBe(1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => gateway.Logs.Of(Category, LogLevel.Warning).Count == 2, "the second summary is written");
        gateway.Logs.Of(Category, LogLevel.Warning)[1].Message.ShouldBe(
            "Refused 5 requests without a valid API key in the last 60 s: 2 with no key, 3 with an unknown, revoked or expired one.");
        gateway.Logs.AtLeast(LogLevel.Information).Count.ShouldBe(before + 2);
    }

    private static async Task RefuseAsync(TestGateway gateway, int missing, int invalid)
    {
        for (var i = 0; i < missing + invalid; i++)
        {
            var path = i % 2 == 0 ? "/v1/chat/completions" : "/v1/messages";
            var body = path == "/v1/messages" ? Requests.Messages(ClaudeModel, "hi") : Requests.Chat(GptModel, "hi");
            using var response = await gateway.PostAsync(path, body, i < missing ? null : "not-a-key-" + i);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }
}
