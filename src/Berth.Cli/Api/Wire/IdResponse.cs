namespace Berth.Cli.Api.Wire;

/// <summary>An answer carrying only an id (<c>201 {"Id": "…"}</c> of exec create).</summary>
public sealed class IdResponse
{
    public string Id { get; set; } = "";
}
