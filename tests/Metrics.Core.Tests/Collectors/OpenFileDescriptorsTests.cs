namespace Metrics.Tests.Collectors;

public sealed class OpenFileDescriptorsTests
{
    [Test]
    public void One_call_count_on_linux_6_2_and_later_equals_the_listing_count()
    {
        if (!OperatingSystem.IsLinux() || Environment.OSVersion.Version < new Version(6, 2))
        {
            Assert.Ignore("Only Linux 6.2 and later report the descriptor count as the size of /proc/self/fd.");
        }

        OpenFileDescriptors.CountsWithOneCall.ShouldBeTrue();
        DescriptorCounts.Differ(() => OpenFileDescriptors.Count(), () => OpenFileDescriptors.CountByListing(), 0).ShouldBeTrue();
    }

    [Test]
    public void Listing_count_grows_by_one_per_open_file()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Descriptors are listed from /proc/self/fdinfo, which only Linux has.");
        }

        DescriptorCounts.OpeningAFileAddsExactlyOne(() => OpenFileDescriptors.CountByListing()).ShouldBeTrue();
    }
}
