namespace Berth.Api;

/// <summary>The Platform of <c>/version</c>: the product name (<c>Berth</c>).</summary>
public sealed class VersionPlatform
{
    public string Name { get; set; } = "";
}
