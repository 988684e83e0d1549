namespace IntegrationHub.Benchmarks;

/// <summary>The driver's command line.</summary>
internal static class Arguments
{
    // --compare is scripts/bench's (it builds the other commit and adds it as a --build); shown, not used.
    private static readonly string[] WithValue = ["--build", "--compare"];

    /// <summary>The scenario or prefix: the first argument that is neither an option nor an option's value.</summary>
    public static string? Filter(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (WithValue.Contains(args[i]))
            {
                i++;
            }
            else if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return args[i];
            }
        }

        return null;
    }

    private static readonly string[] Flags = ["--quick", "--trace"];

    /// <summary>The first option this program does not know, if any.</summary>
    public static string? Unknown(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (WithValue.Contains(args[i]))
            {
                i++;
            }
            else if (args[i].StartsWith('-') && !Flags.Contains(args[i]))
            {
                return args[i];
            }
        }

        return null;
    }

    /// <summary>The command line as scripts/bench was given it: without the builds it adds.</summary>
    public static string Shown(string[] args)
    {
        var shown = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--build")
            {
                i++;
            }
            else
            {
                shown.Add(args[i]);
            }
        }

        return string.Join(' ', shown);
    }

    /// <summary>
    /// Each <c>--build &lt;label&gt;=&lt;hub side program&gt;</c>, the working tree's first; without one, the
    /// hub side built beside this program, labelled "this tree".
    /// </summary>
    public static List<HubBuild> Builds(string[] args)
    {
        var builds = new List<HubBuild>();
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--build" && args[i + 1].Split('=', 2) is [var label, var path])
            {
                builds.Add(new HubBuild(label, Path.GetFullPath(path)));
            }
        }

        if (builds.Count == 0)
        {
            // tests/IntegrationHub.Benchmarks/bin/Release/net10.0 → tests/IntegrationHub.Benchmarks/Hub/bin/Release/net10.0
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var project = here.Parent!.Parent!.Parent!.FullName;
            builds.Add(new HubBuild("this tree", Path.Combine(project, "Hub", "bin", here.Parent.Name, here.Name, "IntegrationHub.Benchmarks.dll")));
        }

        foreach (var build in builds.Where(b => !File.Exists(b.SideAssembly)))
        {
            throw new FileNotFoundException($"The hub side of build '{build.Label}' is not built: {build.SideAssembly}", build.SideAssembly);
        }

        return builds;
    }
}
