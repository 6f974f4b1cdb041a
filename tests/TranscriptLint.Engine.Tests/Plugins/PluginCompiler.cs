using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TranscriptLint.Tests;

/// <summary>Compiles C# source into a plugin assembly at test time, the way a rule author's build would.</summary>
internal static class PluginCompiler
{
    /// <summary>The real contract the host shares with plugins.</summary>
    public static string ContractPath => typeof(TranscriptRule).Assembly.Location;

    /// <summary>Compiles <paramref name="source"/> to <c>&lt;pluginsRoot&gt;/&lt;name&gt;/&lt;name&gt;.dll</c>.</summary>
    public static string CompilePlugin(string pluginsRoot, string name, string source, string? contractPath = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(pluginsRoot, name)).FullName;
        return Compile(Path.Combine(folder, name + ".dll"), name, source, [contractPath ?? ContractPath]);
    }

    /// <summary>Compiles a library to <paramref name="outputPath"/> against the framework and <paramref name="references"/>.</summary>
    public static string Compile(string outputPath, string assemblyName, string source, IEnumerable<string> references)
    {
        var referencePaths = references.ToList();

        // Roslyn's metadata writer has thrown a NullReferenceException from inside Emit (GetConsolidatedTypeParameters)
        // while other compiles ran beside it: once, then (stop 52) in three tests of one process at once, their retries
        // too; the same sources compiled on the next run. So this process compiles one plugin at a time, and a throw from
        // inside the compiler is retried with a compilation made afresh (a compile error is never retried).
        lock (EmitGate)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var stream = File.Create(outputPath);
                    var result = Create(assemblyName, source, referencePaths).Emit(stream);
                    if (!result.Success)
                    {
                        throw new InvalidOperationException("Test plugin did not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                    }

                    return outputPath;
                }
                catch (NullReferenceException) when (attempt < 3)
                {
                }
            }
        }
    }

    private static readonly object EmitGate = new();

    private static CSharpCompilation Create(string assemblyName, string source, IEnumerable<string> references)
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal) || f is "netstandard.dll" or "mscorlib.dll"));
        return CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            framework.Concat(references).Select(p => MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>A rule class: <paramref name="id"/>, and a body for its entry action (<c>ctx</c> is the EntryContext).</summary>
    public static string Rule(string className, string id, string entryAction, string initialize = "") => $$"""
        public sealed class {{className}} : TranscriptRule
        {
            public static readonly RuleDescriptor Descriptor = new("{{id}}", "{{className.ToLowerInvariant()}}", "Test rule {{id}}", "Entry {0} seen by {{id}}", "Test", Severity.Warning);

            public override IReadOnlyList<RuleDescriptor> SupportedDescriptors => [Descriptor];

            public override void Initialize(RuleInitializationContext context)
            {
                {{initialize}}
                context.RegisterEntryAction(ctx =>
                {
                    {{entryAction}}
                });
            }
        }
        """;

    /// <summary>A source file holding <paramref name="classes"/>, with the usings they need.</summary>
    public static string Source(params string[] classes) =>
        "using System;\nusing System.Collections.Generic;\nusing TranscriptLint;\nusing TranscriptLint.Model;\n\n" + string.Join("\n", classes);

    /// <summary>Whether the assembly was loaded outside the default load context (i.e. by the plugin loader).</summary>
    public static bool IsIsolated(Assembly assembly) =>
        System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly) != System.Runtime.Loader.AssemblyLoadContext.Default;
}
