namespace Metrics.Tests.Collectors;

/// <summary>
/// Descriptor counts of the test process move on their own (the runner's pipes, handles closed by finalizers), so a
/// check of an exact count difference is repeated until one attempt sees no such interference.
/// </summary>
internal static class DescriptorCounts
{
    private const int Attempts = 20;

    /// <summary>Whether, in one of the attempts, opening a file raised <paramref name="count"/> by exactly one and closing it brought it back.</summary>
    public static bool OpeningAFileAddsExactlyOne(Func<double> count)
    {
        var path = Path.GetTempFileName();
        try
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var before = count();
                double opened;
                using (File.OpenHandle(path))
                {
                    opened = count();
                }

                if (opened == before + 1 && count() == before)
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Whether, in one of the attempts, <paramref name="first"/> and <paramref name="second"/> differed by exactly <paramref name="difference"/>.</summary>
    public static bool Differ(Func<double> first, Func<double> second, double difference)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (second() - first() == difference)
            {
                return true;
            }
        }

        return false;
    }
}
