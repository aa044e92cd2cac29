namespace Metrics.Exposition.Protobuf;

/// <summary>
/// Field numbers of the <c>io.prometheus.client</c> messages Prometheus scrapes, from prometheus/client_model
/// <c>io/prometheus/client/metrics.proto</c> (the same numbers as its proto3 copy in prometheus/prometheus,
/// <c>prompb/io/prometheus/client/metrics.proto</c>), and of <c>google.protobuf.Timestamp</c>.
/// </summary>
internal static class ClientModelFields
{
    /// <summary><c>MetricFamily</c>: one family, written length-delimited, each prefixed by its varint size.</summary>
    public static class MetricFamily
    {
        public const int Name = 1;
        public const int Help = 2;
        public const int Type = 3;
        public const int Metric = 4;
        public const int Unit = 5;
    }

    /// <summary>The <c>MetricType</c> enum of <see cref="MetricFamily.Type"/>.</summary>
    public static class MetricType
    {
        public const int Counter = 0;
        public const int Gauge = 1;
        public const int Summary = 2;
        public const int Untyped = 3;
        public const int Histogram = 4;
        public const int GaugeHistogram = 5;
    }

    /// <summary><c>Metric</c>: one series, with its labels and one of the value messages.</summary>
    public static class Metric
    {
        public const int Label = 1;
        public const int Gauge = 2;
        public const int Counter = 3;
        public const int Summary = 4;
        public const int Untyped = 5;
        public const int TimestampMs = 6;
        public const int Histogram = 7;
    }

    /// <summary><c>LabelPair</c>.</summary>
    public static class LabelPair
    {
        public const int Name = 1;
        public const int Value = 2;
    }

    /// <summary><c>Gauge</c>.</summary>
    public static class Gauge
    {
        public const int Value = 1;
    }

    /// <summary><c>Counter</c>.</summary>
    public static class Counter
    {
        public const int Value = 1;
        public const int Exemplar = 2;
        public const int CreatedTimestamp = 3;
    }

    /// <summary><c>Quantile</c>, one quantile of a <see cref="Summary"/>.</summary>
    public static class Quantile
    {
        public const int Value = 2;

        /// <summary>The quantile rank, 0 to 1 (the field is named <c>quantile</c> in the proto).</summary>
        public const int Rank = 1;
    }

    /// <summary><c>Summary</c>.</summary>
    public static class Summary
    {
        public const int SampleCount = 1;
        public const int SampleSum = 2;
        public const int Quantile = 3;
        public const int CreatedTimestamp = 4;
    }

    /// <summary><c>Untyped</c>.</summary>
    public static class Untyped
    {
        public const int Value = 1;
    }

    /// <summary><c>Histogram</c>: classic buckets and native ones may sit in the same message.</summary>
    public static class Histogram
    {
        public const int SampleCount = 1;
        public const int SampleSum = 2;
        public const int Bucket = 3;
        public const int SampleCountFloat = 4;
        public const int Schema = 5;
        public const int ZeroThreshold = 6;
        public const int ZeroCount = 7;
        public const int ZeroCountFloat = 8;
        public const int NegativeSpan = 9;
        public const int NegativeDelta = 10;
        public const int NegativeCount = 11;
        public const int PositiveSpan = 12;
        public const int PositiveDelta = 13;
        public const int PositiveCount = 14;
        public const int CreatedTimestamp = 15;
        public const int Exemplars = 16;
    }

    /// <summary><c>Bucket</c>, one classic bucket.</summary>
    public static class Bucket
    {
        public const int CumulativeCount = 1;
        public const int UpperBound = 2;
        public const int Exemplar = 3;
        public const int CumulativeCountFloat = 4;
    }

    /// <summary><c>BucketSpan</c>, a run of native buckets.</summary>
    public static class BucketSpan
    {
        public const int Offset = 1;
        public const int Length = 2;
    }

    /// <summary><c>Exemplar</c>.</summary>
    public static class Exemplar
    {
        public const int Label = 1;
        public const int Value = 2;
        public const int Timestamp = 3;
    }

    /// <summary><c>google.protobuf.Timestamp</c>.</summary>
    public static class Timestamp
    {
        public const int Seconds = 1;
        public const int Nanos = 2;
    }
}
