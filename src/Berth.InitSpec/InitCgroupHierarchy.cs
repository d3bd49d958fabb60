namespace Berth.InitSpec;

public sealed class InitCgroupHierarchy
{
    public string Directory { get; set; } = "";

    public string Options { get; set; } = "";
}
