using System.ClientModel.Primitives;
using System.Collections.Concurrent;

namespace Gateway.Sdk.Tests.Support;

/// <summary>
/// Every HTTP attempt an SDK made, with the status and request id it got back: counts the SDK's own retries and
/// reads the id of calls whose result type hides the raw response (streams). One instance plugs into either SDK.
/// </summary>
internal sealed class AttemptLog
{
    private readonly ConcurrentQueue<(int Status, string? RequestId)> _attempts = new();

    public IReadOnlyList<(int Status, string? RequestId)> Attempts => [.. _attempts];

    /// <summary>A pipeline policy for the OpenAI SDK, run once per attempt.</summary>
    public PipelinePolicy OpenAIPolicy() => new Policy(this);

    /// <summary>A handler for the Anthropic SDK's <see cref="HttpClient"/>, run once per attempt.</summary>
    public DelegatingHandler AnthropicHandler() => new Handler(this) { InnerHandler = NonDrainingHandler() };

    /// <summary>The HTTP handler of every SDK client in these tests: no draining of abandoned responses.</summary>
    public static SocketsHttpHandler NonDrainingHandler() => new() { MaxResponseDrainSize = 0 };

    private void Record(int status, string? requestId) => _attempts.Enqueue((status, requestId));

    private sealed class Policy(AttemptLog log) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            ProcessNext(message, pipeline, currentIndex);
            Record(message);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            await ProcessNextAsync(message, pipeline, currentIndex);
            Record(message);
        }

        private void Record(PipelineMessage message)
        {
            var response = message.Response!;
            log.Record(response.Status, response.Headers.TryGetValue("x-request-id", out var id) ? id : null);
        }
    }

    private sealed class Handler(AttemptLog log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            log.Record((int)response.StatusCode, response.Headers.TryGetValues("request-id", out var ids) ? ids.First() : null);
            return response;
        }
    }
}
