namespace Berth.Api;

/// <summary>The 201 answer of <c>POST /networks/create</c>.</summary>
public sealed class NetworkCreateResponse
{
    public string Id { get; set; } = "";

    public string Warning { get; set; } = "";
}
