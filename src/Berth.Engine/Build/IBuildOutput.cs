namespace Berth.Engine.Build;

/// <summary>Where a build writes its progress: the stream text (steps, RUN output) and the aux image ID messages.</summary>
public interface IBuildOutput
{
    Task WriteAsync(string text, CancellationToken ct);

    Task ImageIdAsync(string imageId, CancellationToken ct);
}
