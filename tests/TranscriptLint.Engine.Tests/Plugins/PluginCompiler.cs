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
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal) || f is "netstandard.dll" or "mscorlib.dll"));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            framework.Concat(references).Select(p => MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // Roslyn's metadata writer once threw a NullReferenceException from inside Emit (GetConsolidatedTypeParameters)
        // while other test assemblies ran beside it; the same source compiled on the next run. A throw from inside the
        // compiler is retried once; a compile error is never retried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var stream = File.Create(outputPath);
                var result = compilation.Emit(stream);
                if (!result.Success)
                {
                    throw new InvalidOperationException("Test plugin did not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                }

                return outputPath;
            }
            catch (NullReferenceException) when (attempt == 1)
            {
                compilation = compilation.Clone();
            }
        }
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
