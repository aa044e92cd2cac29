namespace Metrics.Tests.Instruments.NativeHistograms;

public sealed class NativeBucketDirectoryTests
{
    [Test]
    public void Keys_inside_and_outside_the_window_are_found_in_the_slot_they_were_added_in()
    {
        var directory = new NativeBucketDirectory(capacity: 8);
        directory.WindowLength.ShouldBe(16);
        // The first key centres the window on itself: keys 92 … 107 are looked up there, the rest in the table.
        int[] keys = [100, 101, 92, 107, 91, 108, -5000, 300_000];
        for (var slot = 0; slot < keys.Length; slot++)
        {
            directory.Add(keys[slot]).ShouldBe(slot);
        }

        for (var slot = 0; slot < keys.Length; slot++)
        {
            directory.Find(keys[slot]).ShouldBe(slot, $"key {keys[slot]}");
            directory.KeyAt(slot).ShouldBe(keys[slot]);
        }

        int[] missing = [99, 93, 106, 90, 109, 0, -4999, int.MaxValue];
        foreach (var key in missing)
        {
            directory.Find(key).ShouldBe(-1, $"key {key}");
        }
    }

    [Test]
    public void A_window_placed_before_the_first_key_serves_the_keys_around_it()
    {
        var directory = new NativeBucketDirectory(capacity: 4);
        directory.CenterWindowOn(-20);
        directory.Find(-20).ShouldBe(-1);
        directory.Add(-24).ShouldBe(0);
        directory.Add(-17).ShouldBe(1);
        directory.Add(40).ShouldBe(2);
        directory.Find(-24).ShouldBe(0);
        directory.Find(-17).ShouldBe(1);
        directory.Find(40).ShouldBe(2);
        directory.Find(-20).ShouldBe(-1);
        Should.Throw<InvalidOperationException>(() => directory.CenterWindowOn(0)).Message
            .ShouldBe("The window of a bucket directory is placed before its first bucket.");
    }

    [Test]
    public void An_empty_directory_finds_nothing_anywhere()
    {
        var directory = new NativeBucketDirectory(capacity: 8);
        foreach (var key in new[] { int.MinValue + 1, -1, 0, 1, int.MaxValue })
        {
            directory.Find(key).ShouldBe(-1);
        }
    }
}
