using Berth.Engine.Images;

namespace Berth.Engine.Build;

/// <summary>One stage of a build (a FROM and its instructions) and its state while it runs (moby's dispatchState).</summary>
internal sealed class BuildStage
{
    public required DockerfileInstruction From { get; init; }

    /// <summary>The lower-cased <c>AS</c> name, or null.</summary>
    public string? Name { get; init; }

    public List<DockerfileInstruction> Commands { get; } = [];

    /// <summary>The image of the last step; null while the stage is FROM scratch and nothing was committed.</summary>
    public Image? Image { get; set; }

    public ImageExecutionConfig Config { get; set; } = new();

    /// <summary>The stage's ARGs that are in scope, with their values (null: declared without a value).</summary>
    public Dictionary<string, string?> Args { get; } = [];

    /// <summary>A CMD was given in this stage (an ENTRYPOINT then keeps it; otherwise ENTRYPOINT clears the base's CMD).</summary>
    public bool CmdSet { get; set; }

    public string? Author { get; set; }
}
