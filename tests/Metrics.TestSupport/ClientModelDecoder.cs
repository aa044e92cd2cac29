using System.Text.Json;

namespace Metrics.Testing;

/// <summary>
/// An independent decoder for the protobuf exposition: Debian's <c>python3-protobuf</c>, run with
/// <c>/usr/bin/python3</c>, reading a stream of length-delimited <c>io.prometheus.client.MetricFamily</c> messages
/// with message types built at run time from <c>Protobuf/metrics.proto</c> (no protoc needed). It returns what it
/// decoded as JSON: field names as in the .proto, set fields only, doubles as the 16 hex digits of their bits.
/// </summary>
public static class ClientModelDecoder
{
    /// <summary>The <c>.proto</c> the decoder builds its types from.</summary>
    public static string Proto { get; } = Resource("metrics.proto");

    private static readonly string Script = Resource("decode_metric_families.py");

    /// <summary>Decodes <paramref name="stream"/>; the result's <c>ok</c> says whether every message parsed.</summary>
    public static JsonDocument Decode(ReadOnlySpan<byte> stream)
    {
        var python = RequiredTool.Find(
            "python3",
            "install Debian's 'python3-protobuf' package (apt-get install -y python3-protobuf)",
            fixedPath: "/usr/bin/python3");
        RequiredTool.Find(
            "google.protobuf",
            "install Debian's 'python3-protobuf' package (apt-get install -y python3-protobuf)",
            fixedPath: "/usr/lib/python3/dist-packages/google/protobuf/__init__.py");
        var directory = Directory.CreateTempSubdirectory("client-model-");
        try
        {
            var protoPath = Path.Combine(directory.FullName, "metrics.proto");
            var dataPath = Path.Combine(directory.FullName, "families.bin");
            File.WriteAllText(protoPath, Proto);
            File.WriteAllBytes(dataPath, stream.ToArray());
            var run = ToolRun.Start(python, ["-c", Script, protoPath, dataPath], "", TimeSpan.FromSeconds(60));
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"The protobuf decoder crashed ({run.ExitCode}): {run.StandardError}");
            }

            return JsonDocument.Parse(run.StandardOutput);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The double whose bits the decoder printed as <paramref name="hexBits"/>.</summary>
    public static double DoubleOf(JsonElement hexBits) =>
        BitConverter.Int64BitsToDouble(Convert.ToInt64(hexBits.GetString(), 16));

    private static string Resource(string name)
    {
        using var stream = typeof(ClientModelDecoder).Assembly.GetManifestResourceStream($"Metrics.Testing.Protobuf.{name}")
            ?? throw new InvalidOperationException($"The test support assembly lacks the resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
