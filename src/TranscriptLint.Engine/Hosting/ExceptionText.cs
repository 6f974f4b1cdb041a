using System.Reflection;

namespace TranscriptLint.Engine.Hosting;

/// <summary>
/// The cause of a plugin failure in one line. Reflection and the runtime wrap the exception a rule threw
/// (<see cref="TargetInvocationException"/> from its constructor, <see cref="TypeInitializationException"/> from a
/// static field such as a descriptor with a bad id, <see cref="ReflectionTypeLoadException"/>, a single-item
/// <see cref="AggregateException"/>): the wrapper's own message says nothing, so the innermost cause is shown.
/// </summary>
public static class ExceptionText
{
    /// <summary>The innermost cause: wrappers removed.</summary>
    /// <param name="exception">The exception caught.</param>
    /// <returns>The cause.</returns>
    public static Exception Innermost(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var current = exception;
        for (var depth = 0; depth < 32; depth++)
        {
            Exception? next = current switch
            {
                TargetInvocationException { InnerException: { } inner } => inner,
                TypeInitializationException { InnerException: { } inner } => inner,
                AggregateException { InnerExceptions.Count: 1 } aggregate => aggregate.InnerExceptions[0],
                ReflectionTypeLoadException loadFailure => loadFailure.LoaderExceptions.FirstOrDefault(e => e is not null),
                _ => null,
            };
            if (next is null)
            {
                break;
            }

            current = next;
        }

        return current;
    }

    /// <summary>
    /// <c>Type: message</c> of the innermost cause, on one line, naming the type whose static initialiser threw when
    /// that is where it came from.
    /// </summary>
    /// <param name="exception">The exception caught.</param>
    /// <returns>One line.</returns>
    public static string OneLine(Exception exception)
    {
        var inner = Innermost(exception);
        var initializer = Initializers(exception).LastOrDefault();
        var text = $"{inner.GetType().Name}: {inner.Message.ReplaceLineEndings(" ").Trim()}";
        return initializer is null ? text : $"{text} (in the static initialiser of {initializer})";
    }

    private static IEnumerable<string> Initializers(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is TypeInitializationException { TypeName: { Length: > 0 } name })
            {
                yield return name;
            }
        }
    }
}
