namespace Berth.Cli.Templates;

/// <summary>Go's invalid reflect.Value: a missing map key under missingkey=default, printed "&lt;no value&gt;".</summary>
internal sealed class NoValue
{
    public static readonly NoValue Instance = new();

    private NoValue()
    {
    }

    public override string ToString() => "<no value>";
}
