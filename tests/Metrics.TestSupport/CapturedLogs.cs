using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Metrics.Testing;

/// <summary>
/// Every entry an application logs, at every level, with its exception and structured values, so a test can say what
/// reached the log and how loudly.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries;

    /// <summary>Every entry as one line: level, category, message, structured values and exception.</summary>
    public string All => string.Join('\n', _entries.Select(static entry => entry.Text));

    /// <summary>Entries above Debug that carry an exception, and so a stack trace, as lines for an assertion message.</summary>
    public string[] StackTracesAboveDebug =>
        [.. _entries.Where(static entry => entry.Level > LogLevel.Debug && entry.Exception is not null).Select(static entry => $"{entry.Level} {entry.Category}: {entry.Message} {entry.Exception}")];

    /// <summary>The entries at <paramref name="level"/> or above.</summary>
    public IReadOnlyList<Entry> AtLeast(LogLevel level) => [.. _entries.Where(entry => entry.Level >= level)];

    /// <summary>The entries at exactly <paramref name="level"/> whose category is <paramref name="category"/>.</summary>
    public IReadOnlyList<Entry> Of(string category, LogLevel level) => [.. _entries.Where(entry => entry.Category == category && entry.Level == level)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception, string Text);

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(pair => $"{pair.Key}={pair.Value}")) : "";
            var message = formatter(state, exception);
            entries.Enqueue(new Entry(logLevel, category, message, exception, $"{logLevel} {category}: {message} [{values}] {exception}"));
        }
    }
}
