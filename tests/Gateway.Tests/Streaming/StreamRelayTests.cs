using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Streaming;

public class StreamRelayTests
{
    private const string Provider = "real-provider";
    private const string Model = "gpt-real";

    // Chunk boundaries fall inside a line, inside an event and inside the UTF-8 bytes of "é", with CRLF line ends,
    // an SSE comment and a usage chunk: a client that asked for usage must receive exactly these bytes.
    private static readonly byte[][] Chunks =
    [
        Encoding.UTF8.GetBytes(": keep-alive\r\n\r\ndata: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Caf"),
        [0xC3],
        [0xA9, .. Encoding.UTF8.GetBytes("\"},\"finish_reason\":null}]}\r\n\r\ndata: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")],
        Encoding.UTF8.GetBytes("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13}}\n"),
        Encoding.UTF8.GetBytes("\ndata: [DONE]\n\n"),
    ];

    [Test]
    public async Task Streaming_body_arrives_byte_for_byte_and_its_bytes_and_tokens_are_counted()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => ScriptedUpstream.WriteChunksAsync(context, Chunks));
        await using var gateway = await StartAsync(upstream, "OpenAI");

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(Model, "hello", stream: true, includeUsage: true));
        var received = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var sent = Chunks.SelectMany(chunk => chunk).ToArray();
        received.ShouldBe(sent);
        var forwarded = upstream.Requests.Single();
        forwarded.Authorization.ShouldBe($"Bearer {TestKeys.Upstream}");
        using (var body = JsonDocument.Parse(forwarded.Body))
        {
            body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().ShouldBeTrue();
            body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("hello");
        }

        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_stream_bytes_total", ("direction", "in")).ShouldBe(sent.Length);
        metrics.Value("llm_stream_bytes_total", ("direction", "out")).ShouldBe(sent.Length);
        metrics.Value("llm_tokens_total", ("provider", Provider), ("model", Model), ("type", "prompt")).ShouldBe(11);
        metrics.Value("llm_tokens_total", ("provider", Provider), ("model", Model), ("type", "completion")).ShouldBe(2);
        metrics.Value("llm_time_to_first_token_seconds_count", ("provider", Provider), ("model", Model)).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", Provider), ("model", Model), ("status", "200")).ShouldBe(1);
    }

    [Test]
    public async Task Upstream_dying_mid_stream_ends_the_client_stream_with_an_openai_error_event()
    {
        // The upstream breaks the connection only once the client holds the relayed bytes, so none can be lost in flight.
        var clientHasChunks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            await ScriptedUpstream.WriteChunksAsync(context, Chunks.Take(2));
            await clientHasChunks.Task;
            context.Abort();
        });
        await using var gateway = await StartAsync(upstream, "OpenAI");
        var relayed = Chunks.Take(2).SelectMany(chunk => chunk).ToArray();

        using var response = await gateway.PostAsync(
            "/v1/chat/completions", Requests.Chat(Model, "hello", stream: true, includeUsage: true), completion: HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (received.Length < relayed.Length)
        {
            var read = await stream.ReadAsync(buffer);
            read.ShouldBeGreaterThan(0, "the stream ended before the relayed chunks arrived");
            received.Write(buffer, 0, read);
        }

        clientHasChunks.SetResult();
        await stream.CopyToAsync(received);

        var errorEvent = Encoding.UTF8.GetBytes(
            "data: {\"error\":{\"message\":\"The stream was interrupted: the connection to provider 'real-provider' broke before the response ended.\",\"type\":\"api_error\",\"param\":null,\"code\":\"stream_interrupted\"}}\n\n");
        received.ToArray().ShouldBe([.. relayed, .. errorEvent]);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "connection"), ("provider", Provider)).ShouldBe(1);
        metrics.Value("llm_stream_bytes_total", ("direction", "in")).ShouldBe(relayed.Length);
        metrics.Value("llm_stream_bytes_total", ("direction", "out")).ShouldBe(relayed.Length + errorEvent.Length);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", Provider), ("model", Model), ("status", "200")).ShouldBe(1);
        metrics.Sum("llm_failovers_total").ShouldBe(0);
    }

    [Test]
    public async Task Upstream_going_silent_mid_stream_ends_the_client_stream_with_an_anthropic_error_event()
    {
        var messageStart = Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n");
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            await ScriptedUpstream.WriteChunksAsync(context, [messageStart]);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var gateway = await StartAsync(upstream, "Anthropic", settings => settings.Set("Gateway:Resilience:ResponseIdleTimeout", "00:00:01"));

        using var response = await gateway.PostAsync("/v1/messages", Requests.Messages(Model, "hello", stream: true));
        var received = await response.Content.ReadAsStringAsync();

        received.ShouldBe(Encoding.UTF8.GetString(messageStart)
            + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"The stream was interrupted: provider 'real-provider' sent nothing for 1 s.\"}}\n\n");
        upstream.Requests.Single().ApiKey.ShouldBe(TestKeys.Upstream);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "timeout"), ("provider", Provider)).ShouldBe(1);
        metrics.Value("llm_tokens_total", ("provider", Provider), ("model", Model), ("type", "prompt")).ShouldBe(9);
        metrics.Value("llm_requests_total", ("surface", "anthropic_messages"), ("provider", Provider), ("model", Model), ("status", "200")).ShouldBe(1);
    }

    [Test]
    public async Task Upstream_rejecting_the_request_as_invalid_is_relayed_as_is_without_failover()
    {
        const string Rejection = "{\"error\":{\"message\":\"Unsupported parameter: 'foo'.\",\"type\":\"invalid_request_error\",\"param\":\"foo\",\"code\":null}}";
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Rejection);
        });
        await using var gateway = await StartAsync(upstream, "OpenAI", settings => settings.Model(Model, Provider, "openai-secondary"));

        using var response = await gateway.PostAsync("/v1/chat/completions", Requests.Chat(Model, "hello"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe(Rejection);
        var metrics = await gateway.ScrapeAsync();
        metrics.Value("llm_errors_total", ("error_type", "bad_request"), ("provider", Provider)).ShouldBe(1);
        metrics.Value("llm_requests_total", ("surface", "openai_chat"), ("provider", Provider), ("model", Model), ("status", "400")).ShouldBe(1);
        metrics.Sum("llm_failovers_total").ShouldBe(0);
        metrics.Sum("llm_retries_total").ShouldBe(0);
    }

    private static Task<TestGateway> StartAsync(ScriptedUpstream upstream, string style, Action<GatewaySettings>? configure = null) =>
        TestGateway.StartAsync(settings =>
        {
            settings.RealProvider(Provider, style, upstream.BaseUri, TestKeys.Upstream).Model(Model, Provider);
            configure?.Invoke(settings);
        });
}
