using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Metrics;

/// <summary>
/// Where each populated bucket of a native histogram keeps its counts: a map from bucket key (index and sign) to a
/// slot number, slots numbered in the order the buckets appeared.
/// </summary>
/// <remarks>
/// <para>
/// Two lookups over the same slots. A window, a plain array indexed by key, covers the <see cref="WindowLength"/>
/// keys around the first bucket (or around the buckets a new generation starts with): a key inside it is found or
/// known missing with one read. Bucket indexes of real data are contiguous, so nearly every key falls inside.
/// Every key is also in an open-addressing table of at least twice <see cref="Capacity"/> entries, so a probe
/// sequence stays short and always ends at an empty entry; keys outside the window are looked up there. Each table
/// entry packs key and slot into one <see cref="long"/>, so a reader sees either a whole entry or none: lookups take
/// no lock. Adding is the owner's job, under its lock; entries are never removed (a histogram that needs fewer
/// buckets builds a new directory).
/// </para>
/// </remarks>
internal sealed class NativeBucketDirectory
{
    private const uint GoldenRatio = 0x9E3779B9;

    // No window yet: keys are around zero, far from this base, so every lookup goes to the table, which is empty.
    private const int NoWindow = int.MinValue;

    private readonly long[] _entries;
    private readonly int[] _window;
    private readonly int[] _slotKeys;
    private readonly int _shift;
    private int _windowBase = NoWindow;
    private int _count;

    public NativeBucketDirectory(int capacity)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity * 2));
        _entries = new long[size];
        _window = new int[size];
        _slotKeys = new int[capacity];
        _shift = 32 - BitOperations.Log2((uint)size);
    }

    /// <summary>How many consecutive keys the window covers: as many as the table has entries.</summary>
    public int WindowLength => _window.Length;

    /// <summary>How many buckets the directory can hold.</summary>
    public int Capacity => _slotKeys.Length;

    /// <summary>How many buckets it holds; their slots are 0 to <c>Count - 1</c>.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The memory the directory holds, in bytes, leaving out object headers.</summary>
    public long FootprintBytes => (_entries.Length * sizeof(long)) + (_window.Length * sizeof(int)) + (_slotKeys.Length * sizeof(int));

    /// <summary>The key of a bucket: its index and whether it counts negative observations (the sign bit of the value).</summary>
    public static int Key(int index, bool negative) => (index << 1) | (negative ? 1 : 0);

    /// <summary>The bucket index a key stands for.</summary>
    public static int IndexOf(int key) => key >> 1;

    /// <summary>Whether a key stands for a bucket of negative observations.</summary>
    public static bool IsNegative(int key) => (key & 1) != 0;

    /// <summary>The slot of <paramref name="key"/>, or -1 when the directory does not hold it.</summary>
    // Hot path: inside the window one read; outside it a multiply and, nearly always, one or two reads; never
    // allocates or locks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(int key)
    {
        var offset = (uint)(key - Volatile.Read(ref _windowBase));
        if (offset < (uint)_window.Length)
        {
            return Volatile.Read(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_window), (int)offset)) - 1;
        }

        return FindInTable(key);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindInTable(int key)
    {
        // The mask keeps every position inside the table, so the probe skips the bounds checks.
        ref var entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        var mask = _entries.Length - 1;
        for (var position = Home(key); ; position = (position + 1) & mask)
        {
            var entry = Volatile.Read(ref Unsafe.Add(ref entries, position));
            if (entry == 0)
            {
                return -1;
            }

            if ((int)(entry >> 32) == key)
            {
                return (int)entry - 1;
            }
        }
    }

    /// <summary>The key held in <paramref name="slot"/>.</summary>
    public int KeyAt(int slot) => _slotKeys[slot];

    /// <summary>Adds <paramref name="key"/> in the next free slot and returns that slot; the caller holds the owner's lock.</summary>
    /// <exception cref="InvalidOperationException">The directory is full; the caller must check <see cref="Count"/> first.</exception>
    public int Add(int key)
    {
        var slot = _count;
        if (slot == _slotKeys.Length)
        {
            throw new InvalidOperationException($"The bucket directory is full at {slot} buckets.");
        }

        _slotKeys[slot] = key;
        var mask = _entries.Length - 1;
        var position = Home(key);
        while (_entries[position] != 0)
        {
            position = (position + 1) & mask;
        }

        // The slot key is written before the entry is published, and the count after it, so that a reader that
        // finds the entry or counts the slot also sees the key. The window's entry is written before the window is
        // placed, so a reader that sees the window sees every key it already holds.
        Volatile.Write(ref _entries[position], ((long)key << 32) | (uint)(slot + 1));
        var windowBase = _windowBase == NoWindow ? key - (_window.Length / 2) : _windowBase;
        var offset = (uint)(key - windowBase);
        if (offset < (uint)_window.Length)
        {
            Volatile.Write(ref _window[offset], slot + 1);
        }

        Volatile.Write(ref _windowBase, windowBase);
        Volatile.Write(ref _count, slot + 1);
        return slot;
    }

    /// <summary>
    /// Places the window so that it is centred on <paramref name="key"/>; only while the directory is empty, under
    /// the owner's lock, before the first <see cref="Add"/>. Without it, the first key added centres the window.
    /// </summary>
    /// <exception cref="InvalidOperationException">The directory already holds buckets.</exception>
    public void CenterWindowOn(int key)
    {
        if (_count != 0)
        {
            throw new InvalidOperationException("The window of a bucket directory is placed before its first bucket.");
        }

        Volatile.Write(ref _windowBase, key - (_window.Length / 2));
    }

    /// <summary>The slot of <paramref name="key"/>, added if the directory does not hold it yet; under the owner's lock.</summary>
    public int FindOrAdd(int key)
    {
        var slot = Find(key);
        return slot >= 0 ? slot : Add(key);
    }

    private int Home(int key) => (int)(((uint)key * GoldenRatio) >> _shift);
}
