using System.Runtime.CompilerServices;

namespace EcgOrleans.Signal.Filters;

/// <summary>
/// A sliding window kept as a count per distinct value ("level"), with a pointer to the level that holds a fixed
/// rank. Recorded ECG takes few distinct values (an ADC's steps: MIT-BIH has at most 2,048), so a sample entering or
/// leaving is one count, and the pointer moves by as many levels as the signal does between samples, which on a
/// smooth signal is a few. Its median is exactly the sorted window's: the value at the rank, not an estimate.
/// </summary>
/// <remarks>
/// Levels are ordered by a total order on the float bits (-0 before +0), and a value first seen is inserted in order,
/// which moves the levels above it: cheap once a stream has shown its range, ruinous for a stream of ever-new values.
/// <see cref="TryEnter"/> therefore refuses a value when the table is full of levels the stream kept inventing, and the
/// caller falls back to sorting.
/// </remarks>
internal sealed class LevelWindow
{
    /// <summary>Most levels held; an 11- or 12-bit ADC never needs to drop any.</summary>
    public const int MaxLevels = 4096;

    /// <summary>A full table is compacted (unused levels dropped) only if it took this many samples per level to fill.</summary>
    private const int SamplesPerLevelToCompact = 4;

    private readonly int _rank;
    private readonly int[] _slots;          // level index of each window slot, arrival order
    private int[] _keys = new int[256];     // distinct values, ascending (order-preserving keys)
    private int[] _counts = new int[256];   // window values per level
    private int _levels;
    private int _at;                        // level index that holds _rank, once the window is full
    private int _below;                     // window values in levels before _at
    private int _hint;                      // level of the last value entered: where a search starts
    private readonly long[] _remembered = new long[RememberedSize]; // key << 32 | level + 1, direct-mapped; 0: empty
    private long _entered;
    private long _enteredAtCompaction;

    public LevelWindow(int window, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, window);
        _rank = rank;
        _slots = new int[window];
    }

    /// <summary>
    /// Puts <paramref name="x"/> in window slot <paramref name="slot"/>, taking out the value there first when
    /// <paramref name="replacing"/>. False, with nothing changed, when the value would need a level and the stream
    /// has shown too many distinct values for counting to pay.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnter(float x, int slot, bool replacing)
    {
        var level = LevelOf(Key(x));
        if (level < 0) return false;
        // Whether a value lies below the rank's level is a coin toss on ECG: counted with the sign bit, not a branch.
        if (replacing)
        {
            var leaving = _slots[slot];
            _counts[leaving]--;
            _below -= Below(leaving);
        }
        _counts[level]++;
        _below += Below(level);
        _slots[slot] = level;
        _entered++;
        return true;
    }

    private int Below(int level) => (int)((uint)(level - _at) >> 31);

    /// <summary>The value at the rank; valid once the window holds more values than the rank.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ValueAtRank()
    {
        // Invariant: _below is the count of values in levels before _at. Walk until _at's level covers the rank.
        while (_below > _rank) _below -= _counts[--_at];
        while (_below + _counts[_at] <= _rank) _below += _counts[_at++];
        return FromKey(_keys[_at]);
    }

    private const int RememberedSize = 2048; // 16 KB: stays in L1 beside the counts

    /// <summary>Index of the level of <paramref name="key"/>, inserting it if new; -1 when the table may not grow.</summary>
    /// <remarks>
    /// Raw ECG jumps tens of levels a sample in a QRS complex, and a search's unpredictable branches would cost more
    /// than all the counting; a direct-mapped memory of where each key was found answers almost every lookup.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int LevelOf(int key)
    {
        ref var remembered = ref _remembered[(int)((uint)key * 0x9E3779B1u >> 21)];
        if ((int)(remembered >> 32) == key && (int)remembered != 0) return (int)remembered - 1;
        var level = Search(key);
        if (level >= 0) remembered = (long)key << 32 | (uint)(level + 1);
        return level;
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // the rare path: kept out of the per-sample code
    private int Search(int key)
    {
        var keys = _keys;
        var i = Math.Min(_hint, _levels);
        // Consecutive samples are close: look a few levels either side of the last one before searching.
        var steps = 0;
        while (i < _levels && keys[i] < key && steps++ < 8) i++;
        while (i > 0 && keys[i - 1] >= key && steps++ < 8) i--;
        if ((i < _levels && keys[i] < key) || (i > 0 && keys[i - 1] >= key))
        {
            i = keys.AsSpan(0, _levels).BinarySearch(key);
            if (i < 0) i = ~i;
        }
        if (i < _levels && keys[i] == key) return _hint = i;
        var inserted = Insert(i, key);
        if (inserted >= 0) _hint = inserted;
        return inserted;
    }

    /// <summary>Adds an empty level for a new key at <paramref name="at"/>; its index (moved if the table was compacted), or -1.</summary>
    private int Insert(int at, int key)
    {
        if (_levels == MaxLevels)
        {
            if (_entered - _enteredAtCompaction < (long)MaxLevels * SamplesPerLevelToCompact) return -1;
            Compact();
            _enteredAtCompaction = _entered;
            if (_levels == MaxLevels) return -1;
            at = ~_keys.AsSpan(0, _levels).BinarySearch(key); // the key is new: the search ends at its insertion point
        }
        if (_levels == _keys.Length)
        {
            Array.Resize(ref _keys, Math.Min(2 * _keys.Length, MaxLevels));
            Array.Resize(ref _counts, _keys.Length);
        }
        Array.Copy(_keys, at, _keys, at + 1, _levels - at);
        Array.Copy(_counts, at, _counts, at + 1, _levels - at);
        _keys[at] = key;
        _counts[at] = 0;
        Array.Clear(_remembered); // levels above the new one moved
        if (_levels > 0 && at <= _at) _at++; // the new (empty) level sits before the rank's level
        _levels++;
        for (var s = 0; s < _slots.Length; s++)
            if (_slots[s] >= at) _slots[s]++;
        return at;
    }

    /// <summary>Drops the levels no window value is at, renumbering the slots.</summary>
    private void Compact()
    {
        var renumber = new int[_levels];
        var kept = 0;
        for (var i = 0; i < _levels; i++)
        {
            renumber[i] = kept;
            if (_counts[i] == 0) continue;
            _keys[kept] = _keys[i];
            _counts[kept] = _counts[i];
            kept++;
        }
        for (var s = 0; s < _slots.Length; s++) _slots[s] = renumber[_slots[s]];
        _levels = kept;
        Array.Clear(_remembered);
        _at = 0;
        _below = 0;
    }

    // An order-preserving map from floats (no NaN) to ints: flip the magnitude bits of negatives.
    private static int Key(float x)
    {
        var bits = BitConverter.SingleToInt32Bits(x);
        return bits ^ ((bits >> 31) & int.MaxValue);
    }

    private static float FromKey(int key) => BitConverter.Int32BitsToSingle(key ^ ((key >> 31) & int.MaxValue));
}
