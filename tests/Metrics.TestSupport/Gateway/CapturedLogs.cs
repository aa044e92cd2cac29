using System.Collections.Concurrent;

namespace Gateway.Tests.Support;

/// <summary>Every log entry a test gateway writes, with its structured values, so tests can search what was logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<string> Entries => [.. _entries.Select(entry => entry.Text)];

    public string All => string.Join('\n', Entries);

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
