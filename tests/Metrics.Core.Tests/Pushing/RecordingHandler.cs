using System.Net;

namespace Metrics.Tests.Pushing;

/// <summary>A stand-in Pushgateway: records every request with its body (as UTF-8 text and as bytes), and answers with the statuses it is given in turn.</summary>
internal sealed class RecordingHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, Uri Url, string? ContentType, string Body, byte[] Bytes)> _requests = [];

    /// <summary>Makes every request wait until cancelled, as a Pushgateway that never answers.</summary>
    public bool Hang { get; init; }

    public IReadOnlyList<(HttpMethod Method, Uri Url, string? ContentType, string Body, byte[] Bytes)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var bytes = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var body = System.Text.Encoding.UTF8.GetString(bytes);
        int index;
        lock (_requests)
        {
            _requests.Add((request.Method, request.RequestUri!, request.Content?.Headers.ContentType?.ToString(), body, bytes));
            index = _requests.Count - 1;
        }

        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var status = statuses.Length == 0 ? HttpStatusCode.OK : statuses[Math.Min(index, statuses.Length - 1)];
        return new HttpResponseMessage(status) { Content = new StringContent(status == HttpStatusCode.OK ? "" : $"refused with {(int)status}") };
    }
}
