namespace Metrics;

/// <summary>A series whose value a callback computes at each collection rather than measurements update.</summary>
internal interface ICallbackSeries
{
    CallbackValue Source { get; }
}
