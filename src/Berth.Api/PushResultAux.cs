namespace Berth.Api;

/// <summary>The aux message ending a push: <c>{"Tag":"v1","Digest":"sha256:…","Size":528}</c>.</summary>
public sealed class PushResultAux
{
    public string Tag { get; set; } = "";

    public string Digest { get; set; } = "";

    public int Size { get; set; }
}
