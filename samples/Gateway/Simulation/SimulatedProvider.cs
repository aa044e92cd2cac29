using System.Globalization;
using System.Net;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Surfaces;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Simulation;

/// <summary>
/// An OpenAI-style or Anthropic-style LLM API on its own Kestrel listener at 127.0.0.1, on a port the OS picks.
/// The gateway reaches it over real HTTP, exactly as it reaches a real provider. It answers with lognormal latency,
/// streams with a first-token delay, reports usage in the real APIs' shapes, and fails on demand.
/// </summary>
internal sealed class SimulatedProvider : IAsyncDisposable
{
    private const int MaxBodyBytes = 32 * 1024 * 1024;
    private static readonly RequestError TooLarge = new(ApiErrorKind.RequestTooLarge, $"The request body is larger than {MaxBodyBytes} bytes.");

    private readonly SimulatedProviderOptions _options;
    private readonly bool _zeroLatency;
    private readonly IReadOnlyList<string> _models;
    private WebApplication? _app;

    /// <summary>Creates the simulation of provider <paramref name="name"/>, listing <paramref name="models"/>.</summary>
    public SimulatedProvider(string name, ProviderStyle style, SimulatedProviderOptions options, bool zeroLatency, IReadOnlyList<string> models)
    {
        Name = name;
        Style = style;
        _options = options;
        _zeroLatency = zeroLatency;
        _models = models;
    }

    /// <summary>The provider's configured name.</summary>
    public string Name { get; }

    /// <summary>The protocol it speaks.</summary>
    public ProviderStyle Style { get; }

    /// <summary>The fault it shows, which the control endpoint sets.</summary>
    public FaultSchedule Faults { get; } = new();

    /// <summary>Where it listens, once started.</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts listening on a loopback port chosen by the OS.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        if (Style == ProviderStyle.OpenAI)
        {
            MapCompletion(app, new OpenAIChatSimulation());
            MapCompletion(app, new OpenAIResponsesSimulation());
        }
        else
        {
            MapCompletion(app, new AnthropicMessagesSimulation());
            app.MapPost(ApiSurface.AnthropicCountTokens.Path, CountTokensAsync);
        }

        app.MapGet("/v1/models", ListModelsAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseUri = new Uri(address);
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private void MapCompletion(WebApplication app, SurfaceSimulation simulation) =>
        app.MapPost(simulation.Surface.Path, context => AnswerAsync(context, simulation));

    private async Task AnswerAsync(HttpContext context, SurfaceSimulation simulation)
    {
        var cancellationToken = context.RequestAborted;
        using var document = await ReadValidRequestAsync(context, simulation.Surface);
        if (document is null)
        {
            return;
        }

        var fault = Faults.TakeForRequest();
        if (fault == FaultMode.Healthy && !_zeroLatency)
        {
            fault = RandomFault();
        }

        if (fault != FaultMode.Healthy)
        {
            await FailAsync(context, fault);
            return;
        }

        var answer = SimulatedAnswer.For(document.RootElement, simulation.Surface, _options);
        var pace = new SimulatedPace(_options, _zeroLatency);
        if (answer.Stream)
        {
            using var events = new SseEventWriter(context.Response);
            await simulation.WriteStreamAsync(events, answer, pace, cancellationToken);
            return;
        }

        await pace.WholeAnswerAsync(cancellationToken);
        context.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter, ApiJson.WriterOptions))
        {
            simulation.WriteResponse(json, answer);
        }

        await context.Response.BodyWriter.FlushAsync(cancellationToken);
    }

    // Anthropic counts a request's input tokens with the same formula its usage reports, so the two always agree.
    private async Task CountTokensAsync(HttpContext context)
    {
        using var document = await ReadValidRequestAsync(context, ApiSurface.AnthropicCountTokens);
        if (document is null)
        {
            return;
        }

        var fault = Faults.TakeForRequest();
        if (fault != FaultMode.Healthy)
        {
            await FailAsync(context, fault);
            return;
        }

        context.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter, ApiJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("input_tokens", SimulatedAnswer.PromptTokensOf(document.RootElement));
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Reads, parses and checks the request, answering 413 or 400 as the real API would (a body that is not valid
    /// UTF-8 JSON is the client's fault, never a server error); null when it did.
    /// </summary>
    private async Task<JsonDocument?> ReadValidRequestAsync(HttpContext context, ApiSurface surface)
    {
        context.Response.Headers[RequestIds.HeaderFor(Style)] = RequestIds.New(Style);
        var body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await ApiErrors.WriteAsync(context, Style, StatusCodes.Status413PayloadTooLarge, TooLarge);
            return null;
        }

        if (!JsonRequestBody.TryParseObject(body, out var document, out var error))
        {
            await ApiErrors.WriteAsync(context, Style, StatusCodes.Status400BadRequest, error);
            return null;
        }

        if (Invalid(document.RootElement, surface) is { } problem)
        {
            document.Dispose();
            await ApiErrors.WriteAsync(context, Style, StatusCodes.Status400BadRequest, problem);
            return null;
        }

        return document;
    }

    // The checks the real APIs make that matter here, in their words: a model, a non-empty conversation, and
    // Anthropic's mandatory max_tokens.
    private RequestError? Invalid(JsonElement root, ApiSurface surface)
    {
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String)
        {
            return Style == ProviderStyle.Anthropic
                ? new(ApiErrorKind.InvalidRequest, "model: Field required")
                : new(ApiErrorKind.InvalidRequest, "You must provide a model parameter.");
        }

        var emptyMessages = surface != ApiSurface.OpenAIResponses
            && root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() == 0;
        if (emptyMessages)
        {
            return Style == ProviderStyle.Anthropic
                ? new(ApiErrorKind.InvalidRequest, "messages: at least one message is required")
                : new(ApiErrorKind.InvalidRequest, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages");
        }

        if (surface == ApiSurface.AnthropicMessages && !root.TryGetProperty("max_tokens", out _))
        {
            return new(ApiErrorKind.InvalidRequest, "max_tokens: Field required");
        }

        return null;
    }

    private FaultMode RandomFault()
    {
        var roll = Random.Shared.NextDouble();
        if ((roll -= _options.RateLimitedRate) < 0)
        {
            return FaultMode.RateLimited;
        }

        if ((roll -= _options.ServerErrorRate) < 0)
        {
            return FaultMode.Failing;
        }

        return roll - _options.TimeoutRate < 0 ? FaultMode.Timeout : FaultMode.Healthy;
    }

    private async Task FailAsync(HttpContext context, FaultMode fault)
    {
        switch (fault)
        {
            case FaultMode.RateLimited:
                context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await ApiErrors.WriteAsync(
                    context, Style, StatusCodes.Status429TooManyRequests, ApiErrorKind.RateLimited, $"Simulated provider '{Name}' is rate limiting requests.");
                break;
            case FaultMode.Timeout:
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The gateway gave up on this attempt, which is the point of the fault.
                }

                break;
            default:
                await ApiErrors.WriteAsync(
                    context, Style, StatusCodes.Status500InternalServerError, ApiErrorKind.ServerError, $"Simulated provider '{Name}' is failing.");
                break;
        }
    }

    private async Task ListModelsAsync(HttpContext context)
    {
        context.Response.Headers[RequestIds.HeaderFor(Style)] = RequestIds.New(Style);
        var fault = Faults.Persistent;
        if (fault != FaultMode.Healthy)
        {
            await FailAsync(context, fault);
            return;
        }

        context.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter, ApiJson.WriterOptions))
        {
            WriteModelList(json);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private void WriteModelList(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        if (Style == ProviderStyle.OpenAI)
        {
            json.WriteString("object", "list");
        }

        json.WriteStartArray("data");
        foreach (var model in _models)
        {
            json.WriteStartObject();
            json.WriteString("id", model);
            if (Style == ProviderStyle.OpenAI)
            {
                json.WriteString("object", "model");
                json.WriteNumber("created", 1_700_000_000);
                json.WriteString("owned_by", Name);
            }
            else
            {
                json.WriteString("type", "model");
                json.WriteString("display_name", model);
                json.WriteString("created_at", "2025-01-01T00:00:00Z");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (Style == ProviderStyle.Anthropic)
        {
            json.WriteBoolean("has_more", false);
            json.WriteString("first_id", _models.Count > 0 ? _models[0] : null);
            json.WriteString("last_id", _models.Count > 0 ? _models[^1] : null);
        }

        json.WriteEndObject();
    }
}
