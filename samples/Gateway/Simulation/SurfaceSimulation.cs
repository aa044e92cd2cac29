using System.Text.Json;
using Gateway.Surfaces;

namespace Gateway.Simulation;

/// <summary>How one API shapes a simulated answer, streamed and not, in the real API's JSON and event forms.</summary>
internal abstract class SurfaceSimulation
{
    /// <summary>The API this simulation speaks.</summary>
    public abstract ApiSurface Surface { get; }

    /// <summary>Writes the complete, non-streaming response body.</summary>
    public abstract void WriteResponse(Utf8JsonWriter json, SimulatedAnswer answer);

    /// <summary>Streams the answer as the API's events, pacing tokens with <paramref name="pace"/>.</summary>
    public abstract Task WriteStreamAsync(SseEventWriter events, SimulatedAnswer answer, SimulatedPace pace, CancellationToken cancellationToken);

    /// <summary>Starts an event named <paramref name="type"/> whose JSON object repeats the name in its <c>type</c> field.</summary>
    protected static Utf8JsonWriter StartTypedEvent(SseEventWriter events, string type)
    {
        var json = events.Start(type);
        json.WriteStartObject();
        json.WriteString("type", type);
        return json;
    }

    /// <summary>Writes the answer's text as a stream of per-token events produced by <paramref name="writeDelta"/>.</summary>
    protected static async Task StreamTokensAsync(
        SseEventWriter events,
        SimulatedAnswer answer,
        SimulatedPace pace,
        Action<Utf8JsonWriter, string, int> writeDelta,
        string? eventName,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < answer.Tokens.Count; i++)
        {
            if (i > 0)
            {
                await pace.NextTokenAsync(cancellationToken);
            }

            writeDelta(events.Start(eventName), answer.Tokens[i], i);
            await events.SendAsync(cancellationToken);
        }
    }
}
