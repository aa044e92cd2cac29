namespace Metrics.Tests.Exposition;

public sealed class ExpositionNegotiationTests
{
    private const string OpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private const string Text = "text/plain; version=0.0.4; charset=utf-8";

    [Test]
    public void Prometheus_scrape_accept_header_negotiates_OpenMetrics_1_0_0() =>
        ContentTypeFor("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
            .ShouldBe(OpenMetrics);

    [Test]
    public void OpenMetrics_entry_with_parameters_we_do_not_know_is_still_OpenMetrics_1_0_0() =>
        ContentTypeFor("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.3,*/*;q=0.2")
            .ShouldBe(OpenMetrics);

    private const string Protobuf = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    // Prometheus 2.42 with --enable-feature=native-histograms (scrapeAcceptHeaderWithProtobuf), then Prometheus 3 with
    // scrape_native_histograms, which weighs every protocol and adds escaping parameters.
    [TestCase("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")]
    [TestCase("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.2,text/plain;version=0.0.4;q=0.1,*/*;q=0.05")]
    public void Prometheus_accept_header_with_native_histograms_negotiates_protobuf(string accept) => ContentTypeFor(accept).ShouldBe(Protobuf);

    [TestCase("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text")]
    [TestCase("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily")]
    [TestCase("application/vnd.google.protobuf;proto=other.Message;encoding=delimited")]
    [TestCase("application/vnd.google.protobuf")]
    public void Protobuf_other_than_delimited_MetricFamily_messages_falls_back_to_the_text_format(string accept) => ContentTypeFor(accept).ShouldBe(Text);

    [TestCase("text/plain")]
    [TestCase("text/plain;version=0.0.4")]
    [TestCase("text/plain; version=0.0.4; charset=utf-8")]
    [TestCase("*/*")]
    [TestCase("text/*")]
    public void Text_accept_values_negotiate_the_text_format(string accept) => ContentTypeFor(accept).ShouldBe(Text);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Missing_accept_header_falls_back_to_the_text_format(string? accept) => ContentTypeFor(accept).ShouldBe(Text);

    [TestCase("garbage")]
    [TestCase(";;;,,,")]
    [TestCase("application/json")]
    [TestCase("application/openmetrics-text;q=abc")]
    [TestCase("application/openmetrics-text;q=-1")]
    [TestCase("application/openmetrics-text;q=1.5")]
    [TestCase("application/openmetrics-text;version=0.0.1")]
    [TestCase("application/openmetrics-text;version=2.0.0")]
    [TestCase("text/plain;version=1.0.0")]
    public void Unreadable_or_unsupported_accept_values_fall_back_to_the_text_format(string accept) => ContentTypeFor(accept).ShouldBe(Text);

    [TestCase("application/openmetrics-text")]
    [TestCase("Application/OpenMetrics-Text; Version=1.0.0")]
    [TestCase("application/openmetrics-text; version=\"1.0.0\"")]
    public void OpenMetrics_without_a_version_or_in_another_case_means_1_0_0(string accept) => ContentTypeFor(accept).ShouldBe(OpenMetrics);

    [TestCase("text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0;q=0.5", Text)]
    [TestCase("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.5", OpenMetrics)]
    [TestCase("text/plain,application/openmetrics-text", Text)]
    public void Equal_quality_chooses_the_entry_listed_first(string accept, string contentType) => ContentTypeFor(accept).ShouldBe(contentType);

    [TestCase("text/plain;q=0.2,application/openmetrics-text;q=0.9", OpenMetrics)]
    [TestCase("application/openmetrics-text;q=0.2,text/plain;q=0.9", Text)]
    [TestCase("application/openmetrics-text;version=0.0.1;q=1,text/plain;version=0.0.4;q=0.1", Text)]
    public void Highest_quality_supported_entry_wins_wherever_it_is_listed(string accept, string contentType) => ContentTypeFor(accept).ShouldBe(contentType);

    [TestCase("application/openmetrics-text;version=1.0.0;q=0")]
    [TestCase("application/openmetrics-text;q=0,text/plain;q=0.1")]
    [TestCase("application/openmetrics-text;q=0.0,*/*;q=0.01")]
    public void Quality_zero_means_not_acceptable(string accept) => ContentTypeFor(accept).ShouldBe(Text);

    [TestCase("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5", ExpositionFormat.OpenMetrics)]
    [TestCase(null, ExpositionFormat.PrometheusText)]
    public void Choose_gives_the_format_and_its_exact_content_type_together(string? accept, ExpositionFormat expected)
    {
        var format = ExpositionNegotiation.Choose(accept, out var contentType);

        format.ShouldBe(expected);
        contentType.ShouldBe(expected == ExpositionFormat.OpenMetrics
            ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
            : "text/plain; version=0.0.4; charset=utf-8");
    }

    private static string ContentTypeFor(string? accept)
    {
        ExpositionNegotiation.Choose(accept, out var contentType);
        return contentType;
    }
}
