namespace Berth.Api;

/// <summary>The 201 answer of <c>POST /containers/{id}/exec</c>: <c>{"Id":"..."}</c> (swagger <c>IdResponse</c>).</summary>
public sealed class IdResponse
{
    public string Id { get; set; } = "";
}
