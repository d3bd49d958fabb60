namespace Berth.Cli.Templates;

/// <summary>The literal <c>nil</c> in a template (an operand only: Go refuses it as a command).</summary>
internal sealed class NilLiteral
{
    public static readonly NilLiteral Instance = new();

    private NilLiteral()
    {
    }
}
