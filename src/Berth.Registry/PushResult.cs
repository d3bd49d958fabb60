namespace Berth.Registry;

/// <summary>A finished push: the tag, the manifest digest and its size in bytes, as Docker's aux message reports them.</summary>
public sealed record PushResult(string Tag, string Digest, int Size);
