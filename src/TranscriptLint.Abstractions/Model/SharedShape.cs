namespace TranscriptLint.Model;

/// <summary>
/// The facts many model objects share (an entry's kind, type, role, model and flags; a block's kind, type, index
/// and tool name), kept once per distinct combination. A shape is written while its object is initialised and
/// shared (read-only) after; a setter on a shared shape copies it first, so no object ever changes another.
/// </summary>
/// <typeparam name="TShape">The shape type.</typeparam>
internal abstract class SharedShape<TShape> : IEquatable<TShape>
    where TShape : SharedShape<TShape>
{
    private const int Slots = 256;

    // One small table per thread (files are linted one per thread): no lock, most recent shape per slot. A collision
    // replaces the slot, so the table never grows and a miss only costs one shape.
    [ThreadStatic]
    private static TShape?[]? t_slots;

    // A shape an object was initialised with and then gave up for an equal shared one: reused by the next object
    // initialised on this thread, so the usual line (its shape seen before) allocates no shape at all.
    [ThreadStatic]
    private static TShape? t_spare;

    public bool IsShared { get; private set; }

    /// <summary>
    /// The number a host's row store gave this shape, stamped with the store's id in the high half: a store that finds
    /// its own stamp reads the number with no lookup. One 64-bit value, written whole, so a store on another thread that
    /// numbers a shape shared by every thread (each type's empty one) leaves a stamp this one does not take for its own.
    /// </summary>
    public long RowStamp { get; set; }

    /// <summary>Marks <paramref name="shape"/> shared from the start (each type's empty shape, which no object writes to).</summary>
    protected static TShape Frozen(TShape shape)
    {
        shape.IsShared = true;
        return shape;
    }

    /// <summary>This shape, to write to, or a copy of it when it is shared.</summary>
    public TShape Writable()
    {
        if (!IsShared)
        {
            return (TShape)this;
        }

        var copy = t_spare;
        if (copy is null)
        {
            copy = (TShape)MemberwiseClone();
        }
        else
        {
            t_spare = null; // taken: it now belongs to the object being initialised, and to nothing else
            copy.CopyFrom((TShape)this);
        }

        copy.IsShared = false;
        copy.RowStamp = 0; // the copy's facts change: no store's number holds for it
        return copy;
    }

    /// <summary>An equal shape already shared on this thread, or this one, now shared.</summary>
    public TShape Share()
    {
        if (IsShared)
        {
            return (TShape)this;
        }

        var slots = t_slots ??= new TShape?[Slots];
        ref var slot = ref slots[(int)((uint)GetHashCode() % Slots)];
        if (slot is { } hit && hit.Equals((TShape)this))
        {
            t_spare = (TShape)this; // its object now holds the shared one: nothing else refers to this one
            return hit;
        }

        IsShared = true;
        slot = (TShape)this;
        return slot;
    }

    public abstract bool Equals(TShape? other);

    /// <summary>Sets every fact of this (unshared) shape to <paramref name="other"/>'s.</summary>
    protected abstract void CopyFrom(TShape other);

    public override bool Equals(object? obj) => obj is TShape other && Equals(other);

    public abstract override int GetHashCode();

    /// <summary>
    /// A hash of a reference: the host hands out one copy of each repeated string (its string cache), so equal
    /// shapes meet in one slot without hashing the text; two copies of a string only cost a miss.
    /// </summary>
    protected static int Identity(object? value) => value is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value);
}
