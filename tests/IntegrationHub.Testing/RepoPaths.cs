namespace IntegrationHub.Testing;

/// <summary>Where things are in the repository and beside the test assembly.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding IntegrationHub.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The reference data copied beside every program that uses the core.</summary>
    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>A path below the repository root.</summary>
    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No IntegrationHub.sln above {AppContext.BaseDirectory}.");
    }
}
