namespace Metrics.Testing.GatewayHarness;

/// <summary>The secrets the test gateways are configured with; none may ever appear in an output.</summary>
internal static class TestKeys
{
    public const string Alpha = "test-key-alpha-5c2e81d0";
    public const string Beta = "test-key-beta-9a41f7b3";
    public const string Upstream = "sk-upstream-secret-7f3d2a99";

    public static IReadOnlyList<string> All { get; } = [Alpha, Beta, Upstream];
}
