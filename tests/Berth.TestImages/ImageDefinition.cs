namespace Berth.TestImages;

/// <summary>What goes into one test image: its layer tars (uncompressed) and its config.</summary>
/// <param name="Layers">Each layer tar with the history line that made it.</param>
/// <param name="Steps">History lines of steps that made no layer (WORKDIR, CMD).</param>
internal sealed record ImageDefinition(
    IReadOnlyList<(byte[] Tar, string CreatedBy)> Layers,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> Env,
    string Label,
    string WorkingDir,
    IReadOnlyList<string> ExposedPorts);
